import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../db";
import { createCloneWorkflow, createOrgWithSalt } from "./clone-fixture";
import { spawnWorker, waitFor, type WorkerProcess } from "./test-support";

// Three worker processes all run the scheduler (every 100 ms) against an every-second cron:
// each tick gets exactly one job. The workflow's config is deliberately incomplete, so each run
// fails at once (INVALID_DEFINITION) and never holds the queue; only the scheduling is tested.

let db: TestDatabase;
let app: pg.Pool;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  app = new pg.Pool({ connectionString: db.url, max: 3 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop("SIGKILL")));
  await app?.end();
  await db?.drop();
});

describe("scheduler with 3 workers", () => {
  it("enqueues exactly one job per tick", { timeout: 60_000 }, async () => {
    const orgId = await createOrgWithSalt(app);
    const workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId: "", targetConnectionId: "", cron: "* * * * * *", config: { tables: [] } });
    for (let i = 0; i < 3; i++) workers.push(spawnWorker(db.url, `sched${i}`, { WORKER_SCHEDULER_INTERVAL_MS: "100", WORKER_POLL_MS: "200" }));
    await waitFor(async () => {
      const { rows } = await app.query(`SELECT count(*)::int AS n FROM jobs WHERE workflow_id = $1 AND status <> 'QUEUED' AND status <> 'RUNNING'`, [workflowId]);
      return rows[0].n >= 5;
    }, { timeoutMs: 40_000, intervalMs: 100, what: "five scheduled runs" });
    await app.query(`UPDATE workflows SET schedule_enabled = false WHERE id = $1`, [workflowId]);
    expect(await Promise.all(workers.map((w) => w.stop("SIGTERM")))).toEqual([0, 0, 0]);

    const { rows: jobs } = await app.query(`SELECT schedule_tick, trigger, status, error->>'code' AS code FROM jobs WHERE workflow_id = $1 ORDER BY schedule_tick`, [workflowId]);
    const ticks = jobs.map((j) => (j.schedule_tick as Date).getTime());
    expect(new Set(ticks).size).toBe(ticks.length);
    // Ticks are whole seconds, each once. Only the latest due tick is enqueued, so a second in which
    // every worker was descheduled (a loaded machine) collapses into the next run: gaps are whole
    // seconds too, never a duplicate or a fraction.
    for (const t of ticks) expect(t % 1000).toBe(0);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i] - ticks[i - 1]).toBeGreaterThanOrEqual(1000);
    for (const j of jobs) expect(j).toMatchObject({ trigger: "SCHEDULE", status: "FAILED", code: "INVALID_DEFINITION" });
    const { rows: wf } = await app.query(`SELECT last_tick_at FROM workflows WHERE id = $1`, [workflowId]);
    expect(wf[0].last_tick_at.getTime()).toBe(ticks.at(-1));
  });
});
