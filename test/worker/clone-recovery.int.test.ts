import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createTestDatabase, type TestDatabase, adminQuery } from "../db";
import { withDatabase } from "../pg-server";
import { enqueueJob } from "../../lib/jobs/enqueue-job";
import { cancelJob } from "../../lib/jobs/queue";
import { createCloneWorkflow, createConnection, createOrgWithSalt, createSourceAndTarget, type Databases, pgConnectionParts, tableFingerprint } from "./clone-fixture";
import { jobRow, spawnWorker, waitFor, type WorkerProcess } from "./test-support";

// Real clones through real worker processes: a worker killed (SIGKILL) in the middle of a large
// clone, and a cancelled clone. Readers of the target must only ever see the old or the new data.

const ROWS = 150_000;
const EXTRA = 1000;

let db: TestDatabase;
let dbs: Databases;
let app: pg.Pool;
let orgId: string;
let sourceConnectionId: string;
let workflowId: string;
let target2: string;
const workers: WorkerProcess[] = [];
const start = (id: string) => {
  // Progress every 50 ms: the kill waits to see the copy under way, and with faster redaction the
  // whole copy took less than the default 1 s between progress writes (seen once, on embedded PG 18).
  const w = spawnWorker(db.url, id, { WORKER_LEASE_MS: "2000", WORKER_HEARTBEAT_MS: "300", WORKER_POLL_MS: "300", WORKER_RETRY_BASE_MS: "200", WORKER_PROGRESS_INTERVAL_MS: "50" });
  workers.push(w);
  return w;
};

beforeAll(async () => {
  db = await createTestDatabase();
  app = new pg.Pool({ connectionString: db.url, max: 3 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
  const adminUrl = inject("adminUrl");
  dbs = await createSourceAndTarget(adminUrl, ROWS);
  target2 = `${dbs.target}_b`;
  await adminQuery(adminUrl, `CREATE DATABASE ${target2}`);
  orgId = await createOrgWithSalt(app);
  sourceConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.source));
  const targetConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.target));
  workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId, targetConnectionId });
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  await app?.end();
  await adminQuery(inject("adminUrl"), `DROP DATABASE IF EXISTS ${target2} WITH (FORCE)`).catch(() => {});
  await dbs?.drop();
  await db?.drop();
});

async function runToEnd(jobId: string, timeoutMs = 90_000) {
  return waitFor(async () => {
    const row = await jobRow(app, jobId);
    return ["SUCCEEDED", "FAILED", "CANCELED"].includes(row.status) ? row : null;
  }, { timeoutMs, intervalMs: 100, what: `job ${jobId} to end` });
}

/** The target table's state as "rows:lowest gen:highest gen". */
async function readState(client: pg.Client): Promise<string> {
  const { rows } = await client.query(`SELECT count(*)::int AS n, min(gen) AS lo, max(gen) AS hi FROM public.customers`);
  return `${rows[0].n}:${rows[0].lo}:${rows[0].hi}`;
}

/** Polls the target while a run goes on; records every distinct state it sees. */
function watchTarget(url: string) {
  const seen = new Set<string>();
  let stop = false;
  const client = new pg.Client({ connectionString: url });
  const done = (async () => {
    await client.connect();
    while (!stop) {
      try {
        seen.add(await readState(client));
      } catch (err) {
        seen.add(`error ${(err as { code?: string }).code}`);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await client.end();
  })();
  return { seen, stop: async () => ((stop = true), await done) };
}

async function stagingSchemas(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'doppel\\_stage\\_%' ORDER BY 1`)).rows.map((r) => r.nspname);
  } finally {
    await client.end();
  }
}

describe("clone crash recovery", () => {
  it("reclaims a clone whose worker was killed halfway, reruns it as attempt 2, and the target equals a clean run's", { timeout: 240_000 }, async () => {
    const first = start("victim");
    const initial = (await enqueueJob(app, { orgId, kind: "CLONE", workflowId })).job!;
    expect(await runToEnd(initial.id)).toMatchObject({ status: "SUCCEEDED" });
    const old = `${ROWS}:1:1`;
    expect((await tableFingerprint(dbs.targetUrl)).count).toBe(ROWS);

    // New data in the source, then a run that we kill in the middle of copying.
    const src = new pg.Client({ connectionString: dbs.sourceUrl });
    await src.connect();
    await src.query(`UPDATE customers SET gen = 2`);
    await src.query(`INSERT INTO customers (id, email, full_name, note, gen) SELECT g, 'user' || g || '@example.test', 'Person ' || g, 'n', 2 FROM generate_series(${ROWS + 1}, ${ROWS + EXTRA}) g`);
    await src.end();

    const watcher = watchTarget(dbs.targetUrl);
    const job = (await enqueueJob(app, { orgId, kind: "CLONE", workflowId })).job!;
    const atKill = await waitFor(async () => {
      const row = await jobRow(app, job.id);
      const t = row.progress?.tables?.[0];
      return row.status === "RUNNING" && t?.phase === "copying" && t.rowsDone > 0 ? row : null;
    }, { timeoutMs: 60_000, intervalMs: 20, what: "the clone to be copying" });
    first.proc.kill("SIGKILL");
    await first.exited;
    const t = atKill.progress.tables[0];
    expect(t.rowsDone).toBeLessThan(ROWS + EXTRA);

    const rescuer = start("rescuer");
    const ended = await runToEnd(job.id);
    await watcher.stop();
    expect(ended).toMatchObject({ status: "SUCCEEDED", attempts: 2, claimed_by: "rescuer" });
    const { rows: logs } = await app.query(`SELECT message FROM job_logs WHERE job_id = $1 ORDER BY id`, [job.id]);
    expect(logs.map((l) => l.message).join("\n")).toMatch(/Worker victim stopped heartbeating during attempt 1/);

    // Readers only ever saw the old or the new data, never an error or a mix.
    const fresh = `${ROWS + EXTRA}:2:2`;
    expect([...watcher.seen].filter((s) => s !== old && s !== fresh)).toEqual([]);
    expect(watcher.seen.has(fresh)).toBe(true);

    // A clean run of the same source into another database gives the same table.
    const adminUrl = inject("adminUrl");
    const cleanTarget = await createConnection(app, orgId, pgConnectionParts(adminUrl, target2));
    const cleanWorkflow = await createCloneWorkflow(app, orgId, { sourceConnectionId, targetConnectionId: cleanTarget });
    const clean = (await enqueueJob(app, { orgId, kind: "CLONE", workflowId: cleanWorkflow })).job!;
    expect(await runToEnd(clean.id)).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
    expect(await tableFingerprint(dbs.targetUrl)).toEqual(await tableFingerprint(withDatabase(adminUrl, target2)));
    // The killed attempt's staging schemas are gone: the next run into the target drops leftovers under its target lock.
    expect(await stagingSchemas(dbs.targetUrl)).toEqual([]);
    expect(await rescuer.stop("SIGTERM")).toBe(0);
  });

  it("cancels a running clone: status canceled, staging gone, previous target intact", { timeout: 120_000 }, async () => {
    const w = start("canceller");
    // Its own previous target: a finished clone of the source as it is now (this test does not
    // rely on what the test before it left in the target).
    const baseline = (await enqueueJob(app, { orgId, kind: "CLONE", workflowId })).job!;
    expect(await runToEnd(baseline.id)).toMatchObject({ status: "SUCCEEDED" });
    const before = await tableFingerprint(dbs.targetUrl);
    const reader = new pg.Client({ connectionString: dbs.targetUrl });
    await reader.connect();
    const previous = await readState(reader);
    await reader.end();
    const stagingBefore = await stagingSchemas(dbs.targetUrl);
    const src = new pg.Client({ connectionString: dbs.sourceUrl });
    await src.connect();
    await src.query(`UPDATE customers SET gen = 3`);
    await src.end();
    const watcher = watchTarget(dbs.targetUrl);
    const job = (await enqueueJob(app, { orgId, kind: "CLONE", workflowId })).job!;
    await waitFor(async () => {
      const row = await jobRow(app, job.id);
      return row.status === "RUNNING" && row.progress?.tables?.[0]?.rowsDone > 0;
    }, { timeoutMs: 60_000, intervalMs: 20, what: "the clone to be copying" });
    expect(await cancelJob(app, { orgId, jobId: job.id })).toBe("CANCEL_REQUESTED");
    const ended = await runToEnd(job.id, 20_000);
    await watcher.stop();
    expect(ended).toMatchObject({ status: "CANCELED", error: { code: "CANCELED" } });
    expect(await tableFingerprint(dbs.targetUrl)).toEqual(before);
    expect(await stagingSchemas(dbs.targetUrl)).toEqual(stagingBefore);
    expect([...watcher.seen]).toEqual([previous]);
    expect(await w.stop("SIGTERM")).toBe(0);
  });
});
