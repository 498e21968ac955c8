// npm run bench [-- --scale 0.1] [--rounds 3] [--parallelism 2] [--dry-run] [--delta-only] [--db-prefix doppel_bench_]
// Generates the dataset (customers with PII + orders, SQL only) on the local PostgreSQL, then
// times, rotating the order each round: `pg_dump -Fc | pg_restore` into a fresh database,
// pgcopydb's unredacted clone when `pgcopydb` is installed (Debian: `apt-get install pgcopydb`;
// not in CI), and the engine cloning the same tables with issue 14's rules (fake first name, last
// name and email, masked phone, hashed ssn, nulled notes) into a fresh database. Prints medians,
// the ratios engine/pg_dump and engine/pgcopydb, rows/s and the engine's peak RSS (measured in a
// child process). --dry-run checks the definition and prints what would run, touching nothing.
// Then delta updates: a full clone of customers into a delta-enabled twin, 1% of the customers
// changed on a copy of the source (updates, inserts, deletes), a delta run; prints delta / full.
// The copy has an index on updated_at, as a source kept fresh by its change column would.
// --delta-only runs that part alone. --db-prefix names the databases it creates and drops (two
// benchmarks on one server must not share them).

import { execFile, spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { parseArgs } from "../lib/cli/parse-args";
import { ZWorkflowDefinition } from "../lib/schemas/workflow";
import { buildWorker, ENGINE_CHILD_ENTRY, WORKER_NODE_FLAGS } from "../scripts/build-worker";

const run = promisify(execFile);
const args = parseArgs(["bench", ...process.argv.slice(2)]);
const scale = Number(args.flags.get("scale")?.[0] ?? "1");
const rounds = Number(args.flags.get("rounds")?.[0] ?? "3");
const parallelism = Number(args.flags.get("parallelism")?.[0] ?? "2");
const dryRun = args.flags.has("dry-run");
const deltaOnly = args.flags.has("delta-only");
const dbPrefix = args.flags.get("db-prefix")?.[0] ?? "doppel_bench_";
if (!/^[a-z_][a-z0-9_]*$/.test(dbPrefix)) throw new Error("--db-prefix: lower-case letters, digits and underscores");
const server = { host: "127.0.0.1", port: 5432, user: "postgres" };
// The engine refuses loopback unless allow-listed (lib/egress); the benchmark's child may reach this server only.
process.env.DOPPEL_EGRESS_ALLOW = [process.env.DOPPEL_EGRESS_ALLOW, `${server.host}:${server.port}`].filter(Boolean).join(",");
const adminUrl = `postgresql://${server.user}@${server.host}:${server.port}/postgres`;
const customers = Math.round(2_000_000 * scale);
const orders = Math.round(4_000_000 * scale);
const srcDb = `${dbPrefix}src_${customers}`;
const outDir = path.join(import.meta.dirname, ".out");

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

async function ensureDataset() {
  const exists = (await admin(`SELECT 1 FROM pg_database WHERE datname = '${srcDb}'`)).rowCount;
  if (exists) {
    const c = new pg.Client({ connectionString: `postgresql://${server.user}@${server.host}:${server.port}/${srcDb}` });
    await c.connect();
    const n = await c.query("SELECT (SELECT count(*) FROM customers)::int AS c, (SELECT count(*) FROM orders)::int AS o").catch(() => null);
    await c.end();
    if (n?.rows[0].c === customers && n.rows[0].o === orders) return;
    await admin(`DROP DATABASE ${srcDb}`);
  }
  console.log(`Generating ${customers.toLocaleString("en-US")} customers + ${orders.toLocaleString("en-US")} orders in ${srcDb}...`);
  await admin(`CREATE DATABASE ${srcDb}`);
  const sql = (await readFile(path.join(import.meta.dirname, "perf-dataset.sql"), "utf8")).replaceAll("__CUSTOMERS__", String(customers)).replaceAll("__ORDERS__", String(orders));
  const file = path.join(outDir, `dataset-${customers}.sql`);
  await writeFile(file, sql);
  await run("psql", ["-q", "-v", "ON_ERROR_STOP=1", "-h", server.host, "-U", server.user, "-d", srcDb, "-f", file], { maxBuffer: 1e8 });
}

async function freshDb(name: string) {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
}

async function timePgDump(): Promise<number> {
  const db = `${dbPrefix}pgdump`;
  await freshDb(db);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const dump = spawn("pg_dump", ["-Fc", "-h", server.host, "-U", server.user, "-d", srcDb], { stdio: ["ignore", "pipe", "inherit"] });
    const restore = spawn("pg_restore", ["-h", server.host, "-U", server.user, "-d", db, "--no-owner"], { stdio: ["pipe", "ignore", "inherit"] });
    dump.stdout.pipe(restore.stdin);
    let exits = 0;
    const onExit = (code: number | null) => {
      if (code !== 0) reject(new Error(`pg_dump/pg_restore exited with ${code}`));
      else if (++exits === 2) resolve();
    };
    dump.on("exit", onExit);
    restore.on("exit", onExit);
  });
  const ms = performance.now() - started;
  await admin(`DROP DATABASE ${db} WITH (FORCE)`);
  return ms;
}

/** pgcopydb's own command line, when it is installed (null otherwise). */
async function pgcopydbPath(): Promise<string | null> {
  return run("which", ["pgcopydb"]).then(({ stdout }) => stdout.trim() || null, () => null);
}

async function timePgcopydb(bin: string): Promise<number> {
  const db = `${dbPrefix}pgcopydb`;
  await freshDb(db);
  const dir = path.join(outDir, "pgcopydb");
  await rm(dir, { recursive: true, force: true });
  const url = (database: string) => `postgresql://${server.user}@${server.host}:${server.port}/${database}`;
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(bin, ["clone", "--source", url(srcDb), "--target", url(db), "--table-jobs", "2", "--index-jobs", "2", "--no-owner", "--dir", dir], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let tail = "";
    child.stderr.on("data", (d: Buffer) => (tail = (tail + d.toString()).slice(-2000)));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`pgcopydb clone exited with ${code}:\n${tail}`))));
  });
  const ms = performance.now() - started;
  await admin(`DROP DATABASE ${db} WITH (FORCE)`);
  return ms;
}

/** The engine's workflow: issue 14's rule set on customers, orders copied as is. */
function engineDefinition(targetDb: string) {
  const def = {
    version: 1,
    source: { ...server, database: srcDb },
    tables: [
      { schema: "public", table: "customers", rules: {
        first_name: { rule: "fake", kind: "first_name" },
        last_name: { rule: "fake", kind: "last_name" },
        email: { rule: "fake", kind: "email" },
        phone: { rule: "mask", format: "phone", keepLast: 2 },
        ssn: { rule: "hash", length: 16, encoding: "hex" },
        notes: { rule: "null" },
      } },
      { schema: "public", table: "orders", rules: {} },
    ],
    outputs: { target: { connection: { ...server, database: targetDb } } },
    hashSalt: "benchmark-salt-0123456789",
    options: { parallelism, privacySampleSize: 1000 },
  };
  ZWorkflowDefinition.parse(def); // fails here, not in the child, when the definition drifts from the schema
  return def;
}

type ChildResult = { ms: number; rows: number; maxRssKb: number; tables: { table: string; mode: string; rowsRead: number; durationMs: number; rowsInserted?: number; rowsUpdated?: number; rowsDeleted?: number }[]; delta?: { tables: unknown[] }; steps: string };

/** One engine run in a child process (with the previous run's delta state, for a delta run). */
async function runChild(def: object, state?: unknown): Promise<ChildResult> {
  const file = path.join(outDir, "bench-workflow.json");
  await writeFile(file, JSON.stringify(def));
  const extra = state ? [path.join(outDir, "bench-delta-state.json")] : [];
  if (state) await writeFile(extra[0], JSON.stringify(state));
  const { stdout } = await run(process.execPath, [...WORKER_NODE_FLAGS, ENGINE_CHILD_ENTRY, file, ...extra], { maxBuffer: 1e7 });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

async function timeEngine(): Promise<ChildResult> {
  const db = `${dbPrefix}engine`;
  await freshDb(db);
  const result = await runChild(engineDefinition(db));
  await admin(`DROP DATABASE ${db} WITH (FORCE)`);
  return result;
}

/** Full clone of customers into a delta twin, 1% of the rows changed on a copy of the source, then the delta run. */
async function timeDelta(): Promise<{ full: number; delta: number; changed: ChildResult["tables"][number]; fullSteps: string; deltaSteps: string }> {
  const src = `${dbPrefix}delta_src`;
  const twin = `${dbPrefix}delta_twin`;
  await admin(`DROP DATABASE IF EXISTS ${src} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${src} TEMPLATE ${srcDb}`);
  await freshDb(twin);
  const idx = new pg.Client({ connectionString: `postgresql://${server.user}@${server.host}:${server.port}/${src}` });
  await idx.connect();
  await idx.query("CREATE INDEX customers_updated_at_idx ON customers (updated_at); ANALYZE customers").finally(() => idx.end());
  const base = engineDefinition(twin);
  const def = {
    ...base,
    source: { ...server, database: src },
    tables: [{ ...base.tables[0], delta: { column: "updated_at" } }],
    outputs: { target: { connection: { ...server, database: twin }, delta: {} } },
  };
  ZWorkflowDefinition.parse(def);
  const full = await runChild(def);
  const c = new pg.Client({ connectionString: `postgresql://${server.user}@${server.host}:${server.port}/${src}` });
  await c.connect();
  try {
    // 0.5% updated, 0.25% inserted, 0.25% deleted (with their orders; orders are not in this workflow).
    await c.query(`UPDATE customers SET city = 'Delta City', updated_at = now() WHERE id % 400 IN (1, 2)`);
    await c.query(`INSERT INTO customers (first_name, last_name, email, phone, created_at, updated_at)
      SELECT 'New', 'Customer', 'new' || g || '@example.org', '(555) 010-0000', now(), now() FROM generate_series(1, ${Math.round(customers * 0.0025)}) g`);
    await c.query(`DELETE FROM orders WHERE customer_id % 400 = 3`);
    await c.query(`DELETE FROM customers WHERE id % 400 = 3`);
  } finally {
    await c.end();
  }
  const delta = await runChild(def, full.delta!.tables);
  await admin(`DROP DATABASE ${twin} WITH (FORCE)`);
  await admin(`DROP DATABASE ${src} WITH (FORCE)`);
  return { full: full.ms, delta: delta.ms, changed: delta.tables[0], fullSteps: full.steps, deltaSteps: delta.steps };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const pgcopydb = await pgcopydbPath();
const methods = ["dump", ...(pgcopydb ? ["pgcopydb"] : []), "engine"];
if (dryRun) {
  const def = engineDefinition(`${dbPrefix}engine`);
  console.log(`Dry run: ${customers.toLocaleString("en-US")} customers + ${orders.toLocaleString("en-US")} orders in ${srcDb}, ${rounds} rounds, parallelism ${parallelism}`);
  console.log(`would time: ${methods.join(", ")}${pgcopydb ? "" : " (pgcopydb not installed: apt-get install pgcopydb)"}`);
  console.log(`engine rules on customers: ${JSON.stringify(def.tables[0].rules)}`);
  process.exit(0);
}

await mkdir(outDir, { recursive: true });
// The engine runs as workers run it: built into plain JavaScript (scripts/build-worker.ts), no tsx.
await buildWorker();
await ensureDataset();
if (!deltaOnly) await timeClones();

async function timeClones() {
  const times: Record<string, number[]> = { dump: [], pgcopydb: [], engine: [] };
  const rss: number[] = [];
  let rows = 0;
  for (let i = 0; i < rounds; i++) {
    // Rotate which goes first, so that cache warmth does not favour one side.
    const order = methods.map((_, k) => methods[(k + i) % methods.length]);
    for (const which of order) {
      if (which === "dump") {
        const ms = await timePgDump();
        times.dump.push(ms);
        console.log(`round ${i + 1}: pg_dump -Fc | pg_restore  ${(ms / 1000).toFixed(1)} s`);
      } else if (which === "pgcopydb") {
        const ms = await timePgcopydb(pgcopydb!);
        times.pgcopydb.push(ms);
        console.log(`round ${i + 1}: pgcopydb clone (no redaction)  ${(ms / 1000).toFixed(1)} s`);
      } else {
        const r = await timeEngine();
        times.engine.push(r.ms);
        rss.push(r.maxRssKb);
        rows = r.rows;
        // Per table: its copy (source read, redaction, load; before its index builds).
        const perTable = r.tables.map((t) => `${t.table} ${(t.durationMs / 1000).toFixed(1)} s`).join(", ");
        console.log(`round ${i + 1}: engine (redacting)        ${(r.ms / 1000).toFixed(1)} s, peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MiB (copies: ${perTable})`);
      }
    }
}
const d = median(times.dump);
const e = median(times.engine);
console.log(`\nDataset: ${customers.toLocaleString("en-US")} customers + ${orders.toLocaleString("en-US")} orders (scale ${scale}), ${rounds} rounds, parallelism ${parallelism}`);
console.log(`pg_dump -Fc | pg_restore  median ${(d / 1000).toFixed(1)} s`);
if (pgcopydb) console.log(`pgcopydb clone            median ${(median(times.pgcopydb) / 1000).toFixed(1)} s   (--table-jobs 2 --index-jobs 2, no redaction)`);
console.log(`engine (redacting clone)  median ${(e / 1000).toFixed(1)} s   ${Math.round(rows / (e / 1000)).toLocaleString("en-US")} rows/s`);
console.log(`ratio engine / pg_dump    ${(e / d).toFixed(2)}   (target <= 0.45)`);
if (pgcopydb) console.log(`ratio engine / pgcopydb   ${(e / median(times.pgcopydb)).toFixed(2)}   (target <= 1.0, at most 1.15)`);
else console.log("ratio engine / pgcopydb   -      (pgcopydb not installed: apt-get install pgcopydb)");
console.log(`engine peak RSS           max ${(Math.max(...rss) / 1024).toFixed(0)} MiB   (target < 150 MiB)`);
}

const dl = await timeDelta();
console.log(`\nDelta updates, customers, 1% changed: ${dl.changed.rowsRead.toLocaleString("en-US")} rows read, ${dl.changed.rowsInserted} inserted, ${dl.changed.rowsUpdated} updated, ${dl.changed.rowsDeleted} deleted (${dl.changed.mode})`);
console.log(`full clone ${(dl.full / 1000).toFixed(1)} s, delta run ${(dl.delta / 1000).toFixed(1)} s`);
console.log(`ratio delta / full        ${(dl.delta / dl.full).toFixed(2)}   (target <= 0.1)`);
console.log(`full run steps (ms):  ${dl.fullSteps}`);
console.log(`delta run steps (ms): ${dl.deltaSteps}`);
