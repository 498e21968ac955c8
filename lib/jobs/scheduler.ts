import type pg from "pg";
import { inTransaction } from "./db";
import { startScheduledRun } from "../server/services/jobs/start-run";
import { latestTick } from "./schedule";
import { faultPoint } from "./fault-points";
import type { Logger } from "./logger";
import { SQL } from "./queue-sql";

// Every worker runs this every few seconds; exactly one job is enqueued per due tick:
// the workflow rows are locked (SKIP LOCKED: another worker is handling them right now), and the
// job insert and `last_tick_at = tick` commit together, so a second worker that looks later sees
// the tick as done. The unique (workflow_id, schedule_tick) index backs this up.
// Only the latest due tick is enqueued: ticks missed while no worker ran collapse into one run.
// A workflow that never ticked counts from its creation (a schedule added later may run once
// at the next check for the tick just before it was added).

export type ScheduledRun = { workflowId: string; jobId: string | null; tick: Date };

export async function enqueueDueSchedules(pool: pg.Pool, now: Date, log?: Logger): Promise<ScheduledRun[]> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string; org_id: string; cron: string; last_tick_at: Date | null; created_at: Date }>(SQL.scheduledWorkflows);
    await faultPoint("scheduler");
    const runs: ScheduledRun[] = [];
    for (const w of rows) {
      let tick: Date | null;
      try {
        tick = latestTick(w.cron, now);
      } catch {
        log?.("warn", "workflow has an invalid cron expression; schedule skipped", { workflowId: w.id, orgId: w.org_id });
        continue;
      }
      const since = w.last_tick_at ?? w.created_at;
      if (!tick || tick.getTime() <= since.getTime()) continue;
      await client.query("SAVEPOINT tick");
      try {
        const r = await startScheduledRun(client, { orgId: w.org_id, workflowId: w.id, tick });
        await client.query(SQL.markTicked, [w.id, tick]);
        await client.query("RELEASE SAVEPOINT tick");
        runs.push({ workflowId: w.id, jobId: r.jobId, tick });
      } catch (err) {
        await client.query("ROLLBACK TO SAVEPOINT tick");
        log?.("error", "could not enqueue a scheduled run", { workflowId: w.id, orgId: w.org_id, error: (err as Error).name });
      }
    }
    return runs;
  });
}
