import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { enqueueJob } from "../../lib/jobs/enqueue-job";
import { createOrg, spawnWorker, waitFor, type WorkerProcess } from "./test-support";

// 4 real worker processes drain 300 NOOP jobs: each job runs exactly once (noop_runs has the job
// id as primary key, so a second run would fail that job).

// Each test has its own database and workers (no test sees another's jobs).
let db: TestDatabase;
let pool: pg.Pool;
let workers: WorkerProcess[] = [];

beforeEach(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
});

afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  workers = [];
  await pool?.end();
  await db?.drop();
});

describe("queue with 4 worker processes", () => {
  it("runs 300 jobs exactly once each", { timeout: 120_000 }, async () => {
    const orgs = await Promise.all(Array.from({ length: 6 }, () => createOrg(pool)));
    for (let i = 0; i < 300; i++) await enqueueJob(pool, { orgId: orgs[i % orgs.length], kind: "NOOP" });
    for (let i = 0; i < 4; i++) workers.push(spawnWorker(db.url, `w${i}`));
    await waitFor(async () => {
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM jobs WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELED')`);
      return rows[0].n === 300;
    }, { timeoutMs: 90_000, what: "300 finished jobs" });
    const { rows: statuses } = await pool.query(`SELECT status, attempts, count(*)::int AS n FROM jobs GROUP BY 1, 2`);
    expect(statuses).toEqual([{ status: "SUCCEEDED", attempts: 1, n: 300 }]);
    const { rows: runs } = await pool.query(`SELECT count(*)::int AS n, count(DISTINCT worker)::int AS workers FROM noop_runs`);
    expect(runs[0].n).toBe(300);
    expect(runs[0].workers).toBeGreaterThan(1);
    const codes = await Promise.all(workers.map((w) => w.stop("SIGTERM")));
    expect(codes).toEqual([0, 0, 0, 0]);
  });

  it("wakes an idle worker on enqueue (LISTEN/NOTIFY) and reports the median enqueue-to-claim time", { timeout: 60_000 }, async () => {
    // Poll fallback far away, so a fast claim can only come from NOTIFY.
    const w = spawnWorker(db.url, "idle", { WORKER_POLL_MS: "30000", WORKER_HEARTBEAT_MS: "30000", WORKER_LEASE_MS: "60000" });
    workers.push(w);
    await w.waitForLog((l) => l.msg === "idle");
    const orgId = await createOrg(pool);
    const latencies: number[] = [];
    for (let i = 0; i < 25; i++) {
      const { job } = await enqueueJob(pool, { orgId, kind: "NOOP" });
      const done = await waitFor(async () => {
        const { rows } = await pool.query(`SELECT status, extract(epoch FROM started_at - created_at) * 1000 AS ms FROM jobs WHERE id = $1`, [job!.id]);
        return rows[0].status === "SUCCEEDED" ? rows[0] : null;
      }, { timeoutMs: 10_000, what: "an idle worker to run the job" });
      latencies.push(Number(done.ms));
    }
    latencies.sort((a, b) => a - b);
    console.log(`enqueue -> claim with an idle worker: median ${latencies[12].toFixed(1)} ms, max ${latencies[24].toFixed(1)} ms (25 jobs)`);

    // The LISTEN connection dies (server restart, network): the worker reconnects and is woken again.
    const listeners = async () => (await pool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'doppel-worker-listen'`)).rows.map((r) => r.pid);
    const [oldPid] = await listeners();
    await pool.query(`SELECT pg_terminate_backend($1)`, [oldPid]);
    await w.waitForLog((l) => l.msg.startsWith("LISTEN connection lost"));
    await waitFor(async () => (await listeners()).some((pid) => pid !== oldPid), { what: "a new LISTEN connection" });
    const { job } = await enqueueJob(pool, { orgId, kind: "NOOP" });
    await waitFor(async () => (await pool.query(`SELECT status FROM jobs WHERE id = $1`, [job!.id])).rows[0].status === "SUCCEEDED",
      { timeoutMs: 10_000, what: "the job to run without waiting for the 30 s poll" });
    expect(await w.stop("SIGTERM")).toBe(0);
  });
});
