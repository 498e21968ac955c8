import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { enqueueJob } from "../../lib/jobs/enqueue-job";
import type { FaultPoint } from "../../lib/jobs/fault-points";
import { createCloneWorkflow, createConnection, createOrgWithSalt, createSourceAndTarget, type Databases, pgConnectionParts, tableFingerprint } from "./clone-fixture";
import { createOrg, jobRow, spawnWorker, waitFor, type WorkerProcess } from "./test-support";

// Fault drills: a worker process's own app-database connections are killed (pg_terminate_backend,
// found by application_name) at a chosen point of its work. The worker stops there on its own
// (DOPPEL_FAULT_POINTS, lib/jobs/fault-points.ts) holding the connection of that call, so the kill
// lands exactly there; SIGUSR2 lets it go on. Each drill asserts that the process lives on and
// that the job ends as it would have without the outage: one attempt, the right status.

const ROWS = 100;

let db: TestDatabase;
let app: pg.Pool;
let dbs: Databases;
let worker: WorkerProcess | null = null;

beforeAll(async () => {
  dbs = await createSourceAndTarget(inject("adminUrl"), ROWS);
}, 60_000);

afterAll(async () => {
  await dbs?.drop();
});

// Each drill has its own app database: no job of one drill can be claimed in another.
beforeEach(async () => {
  db = await createTestDatabase();
  app = new pg.Pool({ connectionString: db.url, max: 3 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
});

afterEach(async () => {
  await worker?.stop("SIGKILL");
  worker = null;
  await app?.end();
  await db?.drop();
});

function start(point: FaultPoint, env: Record<string, string> = {}) {
  worker = spawnWorker(db.url, `drill-${point}`, { DOPPEL_FAULT_POINTS: point, ...env });
  return worker;
}

/** Waits until the worker stands at the point, kills all its app-database connections, lets it go on. */
async function killConnectionsAt(w: WorkerProcess, point: FaultPoint) {
  await w.waitForLog((l) => l.msg === "fault point reached" && l.point === point, 60_000);
  const { rows } = await app.query(
    `SELECT application_name, pg_terminate_backend(pid) AS killed FROM pg_stat_activity
      WHERE datname = current_database() AND application_name LIKE 'doppel-worker%'`);
  // The connection the worker holds at the point, and its LISTEN connection, at least.
  expect(rows.filter((r) => r.killed).map((r) => r.application_name)).toEqual(expect.arrayContaining(["doppel-worker", "doppel-worker-listen"]));
  w.proc.kill("SIGUSR2");
}

async function ended(jobId: string) {
  return waitFor(async () => {
    if (worker && worker.proc.exitCode !== null) throw new Error(`worker ${worker.id} exited (${worker.proc.exitCode}) before job ${jobId} ended`);
    const row = await jobRow(app, jobId);
    return ["SUCCEEDED", "FAILED", "CANCELED"].includes(row.status) ? row : null;
  }, { timeoutMs: 60_000, intervalMs: 100, what: `job ${jobId} to end` });
}

async function expectAliveThenCleanExit(w: WorkerProcess) {
  expect({ exitCode: w.proc.exitCode, signal: w.proc.signalCode }).toEqual({ exitCode: null, signal: null });
  expect(w.logs.filter((l) => l.level === "raw")).toEqual([]); // nothing but JSON log lines: no crash trace on stdout
  expect(await w.stop("SIGTERM")).toBe(0);
}

async function cloneJob() {
  const adminUrl = inject("adminUrl");
  const orgId = await createOrgWithSalt(app);
  const sourceConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.source));
  const targetConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, dbs.target));
  const workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId, targetConnectionId });
  return (await enqueueJob(app, { orgId, kind: "CLONE", workflowId })).job!;
}

const attemptsStarted = async (jobId: string) =>
  (await app.query(`SELECT count(*)::int AS n FROM job_logs WHERE job_id = $1 AND message LIKE 'Attempt % started%'`, [jobId])).rows[0].n;

describe("a worker whose app-database connections are killed", () => {
  it("inside a claim transaction: lives on, claims the job again and runs it once", { timeout: 90_000 }, async () => {
    const orgId = await createOrg(app);
    const job = (await enqueueJob(app, { orgId, kind: "NOOP" })).job!;
    const w = start("claim");
    await killConnectionsAt(w, "claim");
    expect(await ended(job.id)).toMatchObject({ status: "SUCCEEDED", attempts: 1, claimed_by: w.id });
    await w.waitForLog((l) => l.msg === "queue error; retrying" && l.level === "warn"); // stdout may trail the database
    expect((await app.query(`SELECT count(*)::int AS n FROM noop_runs WHERE job_id = $1`, [job.id])).rows[0].n).toBe(1);
    await expectAliveThenCleanExit(w);
  });

  it("inside a scheduler transaction: lives on, and the due tick is enqueued once", { timeout: 90_000 }, async () => {
    const orgId = await createOrgWithSalt(app);
    // An incomplete config: each scheduled run fails at once (INVALID_DEFINITION); only scheduling is drilled.
    const workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId: "", targetConnectionId: "", cron: "* * * * * *", config: { tables: [] } });
    const w = start("scheduler", { WORKER_SCHEDULER_INTERVAL_MS: "200" });
    await killConnectionsAt(w, "scheduler");
    const first = await waitFor(async () => (await app.query(`SELECT id FROM jobs WHERE workflow_id = $1 ORDER BY schedule_tick LIMIT 1`, [workflowId])).rows[0],
      { timeoutMs: 30_000, what: "a scheduled run" });
    expect(await ended(first.id)).toMatchObject({ status: "FAILED", attempts: 1, trigger: "SCHEDULE", error: { code: "INVALID_DEFINITION" } });
    await app.query(`UPDATE workflows SET schedule_enabled = false WHERE id = $1`, [workflowId]);
    await w.waitForLog((l) => l.msg === "app database: scheduler failed; retrying"); // stdout may trail the database
    const { rows } = await app.query(`SELECT count(*)::int AS n, count(DISTINCT schedule_tick)::int AS ticks FROM jobs WHERE workflow_id = $1`, [workflowId]);
    expect(rows[0].n).toBe(rows[0].ticks);
    await expectAliveThenCleanExit(w);
  });

  it("at the claim check before the swap: the claim still counts as held, and the clone succeeds on attempt 1", { timeout: 120_000 }, async () => {
    const job = await cloneJob();
    const w = start("claim-check");
    await killConnectionsAt(w, "claim-check");
    expect(await ended(job.id)).toMatchObject({ status: "SUCCEEDED", attempts: 1, error: null });
    await w.waitForLog((l) => l.msg === "app database: claim check failed; retrying"); // stdout may trail the database
    await w.waitForLog((l) => l.msg === "job ended" && l.jobId === job.id);
    expect(w.logs.some((l) => l.msg.startsWith("claim lost"))).toBe(false);
    expect(await attemptsStarted(job.id)).toBe(1);
    expect((await tableFingerprint(dbs.targetUrl)).count).toBe(ROWS);
    await expectAliveThenCleanExit(w);
  });

  it("at the final status write after the swap: the write is retried until it lands, and the clone never runs again", { timeout: 120_000 }, async () => {
    const job = await cloneJob();
    const w = start("final-write");
    await killConnectionsAt(w, "final-write");
    const row = await ended(job.id);
    expect(row).toMatchObject({ status: "SUCCEEDED", attempts: 1, error: null });
    expect(row.report).not.toBeNull();
    await w.waitForLog((l) => l.msg === "app database: final write failed; retrying"); // stdout may trail the database
    // The row is SUCCEEDED as soon as the write commits; the worker logs "job ended" after it returns.
    await w.waitForLog((l) => l.msg === "job ended" && l.jobId === job.id);
    expect(w.logs.filter((l) => l.msg === "job ended")).toMatchObject([{ jobId: job.id, status: "SUCCEEDED", attempt: 1 }]);
    expect(await attemptsStarted(job.id)).toBe(1);
    await expectAliveThenCleanExit(w);
  });
});
