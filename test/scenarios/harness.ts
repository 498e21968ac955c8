import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { expect, inject } from "vitest";
import { runClone } from "../../lib/pipeline/run-clone";
import { checkMethodFor } from "../../lib/pipeline/privacy-check";
import type { CloneReport } from "../../lib/pipeline/types";
import type { TRule } from "../../lib/schemas/rules";
import type { TPgConnection } from "../../lib/schemas/connection";
import type { TWorkflowDefinitionInput } from "../../lib/schemas/workflow";
import { withDatabase } from "../pg-server";
import { catalogListing, withoutObjects } from "./fidelity/catalog-listing";

// Scenario harness: a scenario is test/scenarios/<name>/{schema.sql,data.sql,workflow.json}
// (workflow.json holds tables/rules/customizations/options; connections and salt are filled in
// here). The source is built on one server, the target database made on another (or the same),
// and the clone is checked against the source: row counts, unredacted columns identical
// (order-independent), redacted columns free of source values, constraints and indexes present
// and validated.

export type Db = { name: string; url: string; conn: TPgConnection; drop(): Promise<void> };

export async function createDb(adminUrl: string, prefix: string): Promise<Db> {
  const name = `${prefix}_${randomBytes(5).toString("hex")}`;
  await adminExec(adminUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl, name);
  const u = new URL(url);
  return {
    name,
    url,
    conn: { host: u.hostname, port: Number(u.port || 5432), database: name, user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), tlsMode: "disable" },
    drop: () => adminExec(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminExec(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query("SET extra_float_digits = 3; SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres'");
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export const SCENARIO_DIR = import.meta.dirname;

/** Builds the scenario's source; `vars` fill `__NAME__` placeholders of data.sql (sizes). */
export async function loadScenario(name: string, source: Db, vars: Record<string, string | number> = {}) {
  const dir = path.join(SCENARIO_DIR, name);
  const schema = await readFile(path.join(dir, "schema.sql"), "utf8");
  const data = (await readFile(path.join(dir, "data.sql"), "utf8")).replace(/__([A-Z]+)__/g, (_, k: string) => {
    if (!(k in vars)) throw new Error(`scenario ${name} needs a value for ${k}`);
    return String(vars[k]);
  });
  await withClient(source.url, async (c) => {
    await c.query(schema);
    await c.query(data);
    await c.query("ANALYZE");
  });
  return JSON.parse(await readFile(path.join(dir, "workflow.json"), "utf8")) as Omit<TWorkflowDefinitionInput, "version" | "source" | "outputs" | "hashSalt">;
}

export function definition(partial: Omit<TWorkflowDefinitionInput, "version" | "source" | "outputs" | "hashSalt">, source: Db, outputs: TWorkflowDefinitionInput["outputs"]): TWorkflowDefinitionInput {
  return { version: 1, source: source.conn, outputs, hashSalt: "scenario-salt-0123456789", ...partial };
}

type Col = { name: string; generated: string; baseType: string };

async function primaryKey(c: pg.Client, schema: string, table: string): Promise<string[]> {
  const { rows } = await c.query(`SELECT a.attname FROM pg_constraint con JOIN pg_class r ON r.oid = con.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
      JOIN unnest(con.conkey) WITH ORDINALITY k(attnum, i) ON true JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = k.attnum
     WHERE n.nspname = $1 AND r.relname = $2 AND con.contype = 'p' ORDER BY k.i`, [schema, table]);
  return rows.map((r) => r.attname as string);
}

async function keyedValues(c: pg.Client, schema: string, table: string, key: string[], col: string): Promise<Map<string, string | null>> {
  const { rows } = await c.query({ text: `SELECT ROW(${key.map((k) => `t.${qi(k)}`).join(", ")})::text, t.${qi(col)}::text FROM ${qi(schema)}.${qi(table)} t WHERE t.${qi(col)} IS NOT NULL`, rowMode: "array" });
  return new Map(rows.map((r) => [r[0] as string, r[1] as string]));
}

async function columnsOf(c: pg.Client, schema: string, table: string): Promise<Col[]> {
  const { rows } = await c.query(
    `SELECT a.attname AS name, a.attgenerated AS generated,
            (SELECT coalesce(bt.typname, t.typname) FROM pg_type t LEFT JOIN pg_type bt ON bt.oid = t.typbasetype AND t.typtype = 'd' WHERE t.oid = a.atttypid) AS "baseType"
       FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace
      WHERE n.nspname = $1 AND r.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, [schema, table]);
  return rows;
}

const qi = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Multiset of row texts over `cols` (md5 per row, so large text stays small). */
async function rowDigests(c: pg.Client, schema: string, table: string, cols: string[], only = false): Promise<string[]> {
  if (!cols.length) return [];
  const { rows } = await c.query({ text: `SELECT md5(ROW(${cols.map((x) => `t.${qi(x)}`).join(", ")})::text) FROM ${only ? "ONLY " : ""}${qi(schema)}.${qi(table)} t`, rowMode: "array" });
  return rows.map((r) => r[0] as string).sort();
}

async function distinctValues(c: pg.Client, schema: string, table: string, col: string): Promise<Set<string>> {
  const { rows } = await c.query({ text: `SELECT DISTINCT t.${qi(col)}::text FROM ${qi(schema)}.${qi(table)} t WHERE t.${qi(col)} IS NOT NULL`, rowMode: "array" });
  return new Set(rows.map((r) => r[0] as string));
}

async function constraintsOf(c: pg.Client, schemas: string[]) {
  const { rows } = await c.query(`SELECT n.nspname || '.' || r.relname || ':' || con.conname || ':' || con.contype::text || ':' || con.condeferrable::text || con.condeferred::text AS k, con.convalidated AS v
      FROM pg_constraint con JOIN pg_class r ON r.oid = con.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace
     WHERE n.nspname = ANY($1) AND con.contype IN ('p','u','f','c','x') ORDER BY 1`, [schemas]);
  return rows as { k: string; v: boolean }[];
}

async function indexesOf(c: pg.Client, schemas: string[]) {
  const { rows } = await c.query(`SELECT n.nspname || '.' || r.relname || ':' || i.relname AS k FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class r ON r.oid = x.indrelid JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ANY($1) ORDER BY 1`, [schemas]);
  return rows.map((r) => r.k as string);
}

/**
 * The standard checks of a scenario. `def` is the definition that was run, `report` its report.
 * Tables with a time window: the target's rows must be a subset of the source's.
 */
export async function expectFaithfulClone(def: TWorkflowDefinitionInput, report: CloneReport, source: Db, target: Db, opts: { skipRedactedDisjoint?: string[]; customized?: string[] } = {}) {
  await withClient(source.url, (src) => withClient(target.url, async (dst) => {
    for (const t of def.tables) {
      const rep = report.tables.find((r) => r.schema === t.schema && r.table === t.table);
      expect(rep, `report for ${t.schema}.${t.table}`).toBeTruthy();
      // A plain table's own rows (ONLY: not its inheritance children's); a partitioned table's partitions'.
      const { rows: [{ relkind }] } = await src.query("SELECT relkind FROM pg_class WHERE oid = $1::regclass", [`${qi(t.schema)}.${qi(t.table)}`]);
      const from = `${relkind === "r" ? "ONLY " : ""}${qi(t.schema)}.${qi(t.table)}`;
      const count = Number((await dst.query(`SELECT count(*) FROM ${from}`)).rows[0].count);
      expect(count, `rows of ${t.schema}.${t.table}`).toBe(rep!.rowsWritten);
      const srcCount = Number((await src.query(`SELECT count(*) FROM ${from}`)).rows[0].count);
      const filtered = t.filter?.kind === "window";
      if (!filtered) expect(count, `all rows of ${t.schema}.${t.table}`).toBe(srcCount);
      const ruled = new Set(Object.keys(t.rules ?? {}).concat(rep!.rules.map((r) => r.column)));
      const cols = (await columnsOf(src, t.schema, t.table)).filter((c) => !ruled.has(c.name) && !c.generated).map((c) => c.name);
      const [a, b] = [await rowDigests(src, t.schema, t.table, cols, relkind === "r"), await rowDigests(dst, t.schema, t.table, cols, relkind === "r")];
      if (opts.customized?.includes(`${t.schema}.${t.table}`)) {
        // Changed on purpose by a customization after the load.
      } else if (filtered) {
        const have = new Map<string, number>();
        for (const d of a) have.set(d, (have.get(d) ?? 0) + 1);
        for (const d of b) {
          expect(have.get(d) ?? 0, `target row of ${t.schema}.${t.table} exists in source`).toBeGreaterThan(0);
          have.set(d, have.get(d)! - 1);
        }
      } else {
        expect(b, `unredacted columns of ${t.schema}.${t.table}`).toEqual(a);
      }
      for (const r of rep!.rules) {
        if (r.rule === "shuffle" || opts.skipRedactedDisjoint?.includes(`${t.schema}.${t.table}.${r.column}`)) continue;
        const rule = (t.rules?.[r.column] ?? { rule: r.rule }) as TRule;
        const col = (await columnsOf(src, t.schema, t.table)).find((c) => c.name === r.column)!;
        if (checkMethodFor(rule, col.baseType).method === "rows") {
          // Outputs drawn from the same domain as real values (fake names, shifted dates...):
          // no row may keep its own value.
          const pk = await primaryKey(src, t.schema, t.table);
          if (!pk.length || pk.includes(r.column)) continue;
          const [before, after] = [await keyedValues(src, t.schema, t.table, pk, r.column), await keyedValues(dst, t.schema, t.table, pk, r.column)];
          const same = [...after].filter(([k, v]) => before.get(k) === v).length;
          expect(same, `rows keeping their value in ${t.schema}.${t.table}.${r.column}`).toBe(0);
          continue;
        }
        const constant = rule.rule === "constant" ? rule.value : null;
        const before = await distinctValues(src, t.schema, t.table, r.column);
        const after = await distinctValues(dst, t.schema, t.table, r.column);
        const common = [...after].filter((v) => before.has(v) && v !== constant);
        expect(common.length, `source values left in ${t.schema}.${t.table}.${r.column}`).toBe(0);
      }
    }
    const schemas = [...new Set(def.tables.map((t) => t.schema))];
    const skippedFks = new Set(report.skipped.filter((s) => s.kind === "foreign key").map((s) => s.name));
    const srcCons = (await constraintsOf(src, schemas)).filter((c) => !skippedFks.has(c.k.split(":").slice(0, 2).join(".")));
    const dstTables = new Set((await dst.query(`SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($1) AND c.relkind IN ('r','p')`, [schemas])).rows.map((r) => r.t as string));
    const inClone = (k: string) => dstTables.has(k.split(":")[0]);
    const dstCons = await constraintsOf(dst, schemas);
    expect(dstCons.map((c) => c.k), "constraints").toEqual(srcCons.filter((c) => inClone(c.k)).map((c) => c.k));
    expect(dstCons.filter((c) => !c.v).map((c) => c.k), "constraints not validated").toEqual(srcCons.filter((c) => inClone(c.k) && !c.v).map((c) => c.k));
    const srcIdx = (await indexesOf(src, schemas)).filter((k) => inClone(k));
    expect(await indexesOf(dst, schemas), "indexes").toEqual(srcIdx);
  }));
}

export async function stagingSchemas(url: string): Promise<string[]> {
  return withClient(url, async (c) => (await c.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'doppel\\_%' ORDER BY 1`)).rows.map((r) => r.nspname));
}

/**
 * Definitions of the selected schemas' tables as the server prints them with an empty
 * search_path (every name qualified): column types and collations, constraints (a foreign key
 * names the table it binds to), indexes, and the types and sequences of those schemas. Equal on
 * source and twin means every object bound to the twin's own copy, whatever the names.
 */
export async function definitionsOf(c: pg.Client, schemas: string[]): Promise<Record<string, string[]>> {
  await c.query("BEGIN");
  try {
    await c.query("SELECT set_config('search_path', '', true)");
    const list = async (sql: string) => (await c.query<{ x: string }>(sql, [schemas])).rows.map((r) => r.x).sort();
    return {
      columns: await list(`SELECT a.attrelid::regclass::text || '.' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
          || CASE WHEN a.attcollation <> t.typcollation THEN ' COLLATE ' || a.attcollation::regcollation::text ELSE '' END
          || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END AS x
        FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace JOIN pg_type t ON t.oid = a.atttypid
        WHERE n.nspname = ANY($1) AND r.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`),
      constraints: await list(`SELECT con.conrelid::regclass::text || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid) || ' ' || con.convalidated AS x
        FROM pg_constraint con JOIN pg_class r ON r.oid = con.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ANY($1)`),
      indexes: await list(`SELECT pg_get_indexdef(i.indexrelid) AS x FROM pg_index i JOIN pg_class r ON r.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ANY($1)`),
      types: await list(`SELECT t.oid::regtype::text || ' ' || t.typtype::text
          || coalesce(' ' || (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid), '')
          || CASE WHEN t.typtype = 'd' THEN ' ' || format_type(t.typbasetype, t.typtypmod) ELSE '' END AS x
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = ANY($1) AND t.typtype IN ('e', 'd', 'r', 'm') AND t.typelem = 0`),
      tables: await list(`SELECT r.oid::regclass::text || ' ' || r.relpersistence::text || ' ' || coalesce(r.reloptions::text, '') || ' '
          || coalesce((SELECT tr.reloptions::text FROM pg_class tr WHERE tr.oid = r.reltoastrelid), '') || ' ' || r.relreplident::text
          || coalesce(' replica ' || (SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = r.oid AND i.indisreplident), '')
          || coalesce(' cluster ' || (SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = r.oid AND i.indisclustered), '') AS x
        FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace WHERE n.nspname = ANY($1) AND r.relkind IN ('r', 'p')`),
      columnSettings: await list(`SELECT a.attrelid::regclass::text || '.' || quote_ident(a.attname) || ' ' || coalesce(a.attstattarget::int, -1)
          || ' ' || a.attstorage::text || ' ' || a.attcompression::text AS x
        FROM pg_attribute a JOIN pg_class r ON r.oid = a.attrelid JOIN pg_namespace n ON n.oid = r.relnamespace
        WHERE n.nspname = ANY($1) AND r.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`),
      collations: await list(`SELECT co.oid::regcollation::text || ' ' || co.collprovider::text || ' ' || co.collisdeterministic
          || ' ' || coalesce(co.collcollate, '') || ' ' || coalesce(co.collctype, '') AS x
        FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace WHERE n.nspname = ANY($1)`),
      textSearch: await list(`SELECT cfg.oid::regconfig::text || ' ' || coalesce((SELECT string_agg(m.maptokentype || ':' || m.mapdict::regdictionary::text, ',' ORDER BY m.maptokentype, m.mapseqno)
          FROM pg_ts_config_map m WHERE m.mapcfg = cfg.oid), '') AS x
        FROM pg_ts_config cfg JOIN pg_namespace n ON n.oid = cfg.cfgnamespace WHERE n.nspname = ANY($1)
        UNION ALL SELECT d.oid::regdictionary::text || ' ' || coalesce(d.dictinitoption, '') FROM pg_ts_dict d
        JOIN pg_namespace n ON n.oid = d.dictnamespace WHERE n.nspname = ANY($1)`),
      operators: await list(`SELECT o.oid::regoperator::text || ' ' || o.oprcode::regprocedure::text || ' ' || o.oprcom::regoperator::text AS x
        FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace WHERE n.nspname = ANY($1)`),
      casts: await list(`SELECT format_type(ca.castsource, NULL) || ' AS ' || format_type(ca.casttarget, NULL) || ' ' || ca.castcontext::text
          || ' ' || coalesce(nullif(ca.castfunc, 0)::regprocedure::text, '') AS x
        FROM pg_cast ca JOIN pg_type s ON s.oid = ca.castsource JOIN pg_type t ON t.oid = ca.casttarget
        WHERE s.typnamespace IN (SELECT oid FROM pg_namespace WHERE nspname = ANY($1)) OR t.typnamespace IN (SELECT oid FROM pg_namespace WHERE nspname = ANY($1))`),
      aggregates: await list(`SELECT a.aggfnoid::regprocedure::text || ' ' || a.aggtransfn::regproc::text || ' ' || format_type(a.aggtranstype, NULL) AS x
        FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY($1)`),
    };
  } finally {
    await c.query("ROLLBACK");
  }
}

/**
 * Clones a scenario into a fresh target, then again into the same (now existing) target; after
 * each run the twin is compared with the source (expectFaithfulClone, definitionsOf) and `check`
 * runs. Returns both reports.
 */
export async function cloneFreshAndAgain(name: string, dbs: Db[], check: (ctx: { report: CloneReport; source: Db; target: Db; run: number; logs: string[] }) => Promise<void> = async () => {},
  opts: { adminUrl?: string; targetAdminUrl?: string; vars?: Record<string, string | number>; schemas?: string[]; definitions?: boolean } = {}): Promise<CloneReport[]> {
  const adminUrl = opts.adminUrl ?? inject("adminUrl");
  const source = await createDb(adminUrl, `scn_${name.replaceAll("-", "_")}_src`);
  const target = await createDb(opts.targetAdminUrl ?? adminUrl, `scn_${name.replaceAll("-", "_")}_dst`);
  dbs.push(source, target);
  const wf = await loadScenario(name, source, opts.vars);
  const def = definition(wf, source, { target: { connection: target.conn } });
  const schemas = opts.schemas ?? [...new Set(def.tables.map((t) => t.schema))];
  const reports: CloneReport[] = [];
  for (const run of [1, 2]) {
    const logs: string[] = [];
    const report = await runClone(def, { onProgress: (e) => { if (e.type === "log") logs.push(e.message); } });
    reports.push(report);
    await expectFaithfulClone(def, report, source, target);
    await withClient(source.url, (src) => withClient(target.url, async (dst) => {
      // Tables of the cloned schemas that the workflow does not copy are left out of the comparison.
      const tablesOf = async (c: pg.Client) => new Set((await c.query(`SELECT format('%I.%I', n.nspname, c.relname) AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')`, [schemas])).rows.map((r) => r.t as string));
      const [srcTables, dstTables] = [await tablesOf(src), await tablesOf(dst)];
      const absent = [...srcTables].filter((t) => !dstTables.has(t));
      const absentIndexes = (await src.query(`SELECT format('%I.%I', n.nspname, c.relname) AS i FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class r ON r.oid = x.indrelid WHERE format('%I.%I', n.nspname, r.relname) = ANY($1)`, [absent])).rows.map((r) => r.i as string);
      const copied = (x: string) => !absent.some((t) => x.startsWith(`${t}.`) || x.startsWith(`${t} `) || x.includes(` ON ${t} `))
        && !absentIndexes.some((i) => x === i || x.startsWith(`${i} `));
      if (opts.definitions ?? true) {
        const [a, b] = [await definitionsOf(src, schemas), await definitionsOf(dst, schemas)];
        for (const k of Object.keys(a)) expect(b[k], `${k} (run ${run})`).toEqual(a[k].filter(copied));
      }
      // Every schema object arrived, except the ones the report lists as not copied.
      const notCopied = report.skipped.map((s) => s.name);
      // Across major versions pg_get_* may format definitions differently: names only then.
      const definitions = opts.definitions ?? true;
      const [x, y] = [withoutObjects(await catalogListing(src, schemas, { definitions }), notCopied), await catalogListing(dst, schemas, { definitions })];
      for (const k of ["views", "materializedViews", "functions", "triggers", "sequences", "indexes", "policies", "comments"]) expect(y[k], `${k} (run ${run})`).toEqual(x[k].filter(copied));
    }));
    expect(await stagingSchemas(target.url), `staging schemas left (run ${run})`).toEqual([]);
    await check({ report, source, target, run, logs });
  }
  return reports;
}
