import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { enqueueJob } from "../../lib/jobs/enqueue-job";
import { cancelJob } from "../../lib/jobs/queue";
import { createOrg, jobRow, spawnWorker, waitFor, type WorkerProcess } from "./test-support";

// Real worker processes: a frozen worker is fenced out, shutdown hands jobs back, cancel aborts.

// Each test has its own database and workers: a job one test leaves behind cannot reach another.
let db: TestDatabase;
let pool: pg.Pool;
let orgId: string;
let workers: WorkerProcess[] = [];
const start = (id: string, env: Record<string, string> = {}) => {
  const w = spawnWorker(db.url, id, env);
  workers.push(w);
  return w;
};

beforeEach(async () => {
  db = await createTestDatabase();
  pool = new pg.Pool({ connectionString: db.url, max: 4 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
  orgId = await createOrg(pool);
});

afterEach(async () => {
  for (const w of workers) {
    w.proc.kill("SIGCONT");
    await w.stop("SIGKILL");
  }
  workers = [];
  await pool?.end();
  await db?.drop();
});

const statusOf = async (id: string) => (await jobRow(pool, id)).status as string;

describe("fencing", () => {
  it("rejects the late writes of a worker frozen (SIGSTOP) past its lease after another worker finished the job", { timeout: 60_000 }, async () => {
    const env = { WORKER_LEASE_MS: "1500", WORKER_HEARTBEAT_MS: "300", WORKER_POLL_MS: "300" };
    const { job } = await enqueueJob(pool, { orgId, kind: "NOOP", input: { sleepMs: 2500 } });
    const a = start("frozen", env);
    await waitFor(async () => (await jobRow(pool, job!.id)).claimed_by === "frozen", { what: "worker A to claim" });
    a.proc.kill("SIGSTOP");
    const b = start("rescuer", env);
    const finished = await waitFor(async () => {
      const row = await jobRow(pool, job!.id);
      return row.status === "SUCCEEDED" ? row : null;
    }, { timeoutMs: 30_000, what: "worker B to finish the job" });
    expect(finished).toMatchObject({ claimed_by: "rescuer", attempts: 2 });
    const logsBefore = (await pool.query(`SELECT id, level, message FROM job_logs WHERE job_id = $1 ORDER BY id`, [job!.id])).rows;

    a.proc.kill("SIGCONT");
    const lost = await a.waitForLog((l) => l.jobId === job!.id && l.msg.startsWith("claim lost"));
    expect(lost.level).toBe("warn");
    expect(await a.stop("SIGTERM")).toBe(0); // whatever A was doing has ended
    expect(await jobRow(pool, job!.id)).toEqual(finished);
    expect((await pool.query(`SELECT id, level, message FROM job_logs WHERE job_id = $1 ORDER BY id`, [job!.id])).rows).toEqual(logsBefore);
    expect((await pool.query(`SELECT worker FROM noop_runs WHERE job_id = $1`, [job!.id])).rows).toEqual([{ worker: "rescuer" }]);
    expect(await b.stop("SIGTERM")).toBe(0);
  });
});

describe("shutdown and cancel", () => {
  it("SIGTERM lets a short job finish, then exits 0", { timeout: 30_000 }, async () => {
    const { job } = await enqueueJob(pool, { orgId, kind: "NOOP", input: { sleepMs: 1000 } });
    const w = start("polite", { WORKER_SHUTDOWN_TIMEOUT_MS: "15000" });
    await waitFor(async () => (await statusOf(job!.id)) === "RUNNING", { what: "the job to start" });
    expect(await w.stop("SIGTERM")).toBe(0);
    expect(await jobRow(pool, job!.id)).toMatchObject({ status: "SUCCEEDED", attempts: 1 });
  });

  it("SIGTERM past the timeout releases the job without burning an attempt; another worker takes it; cancel ends it", { timeout: 60_000 }, async () => {
    const { job } = await enqueueJob(pool, { orgId, kind: "NOOP", input: { sleepMs: 120_000 } });
    const first = start("leaving", { WORKER_SHUTDOWN_TIMEOUT_MS: "300" });
    await waitFor(async () => (await statusOf(job!.id)) === "RUNNING", { what: "the job to start" });
    expect(await first.stop("SIGTERM")).toBe(0);
    expect(await jobRow(pool, job!.id)).toMatchObject({ status: "QUEUED", attempts: 0, claim_token: null, claimed_by: null });

    start("next");
    await waitFor(async () => (await jobRow(pool, job!.id)).claimed_by === "next", { what: "another worker to take the job" });
    expect(await cancelJob(pool, { orgId, jobId: job!.id })).toBe("CANCEL_REQUESTED");
    const ended = await waitFor(async () => {
      const row = await jobRow(pool, job!.id);
      return row.status !== "RUNNING" ? row : null;
    }, { timeoutMs: 10_000, what: "the cancelled job to end" });
    expect(ended).toMatchObject({ status: "CANCELED", attempts: 1, error: { code: "CANCELED" } });
    expect((await pool.query(`SELECT count(*)::int AS n FROM noop_runs WHERE job_id = $1`, [job!.id])).rows[0].n).toBe(0);
  });
});
