import { setTimeout as sleep } from "node:timers/promises";
import { JobFailure } from "../errors";
import { SQL } from "../queue-sql";
import type { JobHandler } from "./types";

// NOOP: health checks and queue tests. Optionally waits `input.sleepMs` (abortable), then records
// one row per job in noop_runs (fenced, see queue-sql.ts noopRun); a job that ran twice fails loudly.
export const runNoop: JobHandler = async ({ job, signal, pool, workerId, log }) => {
  const sleepMs = Number(job.input.sleepMs ?? 0);
  if (sleepMs > 0) await sleep(sleepMs, undefined, { signal });
  const { rowCount } = await pool.query(SQL.noopRun, [job.id, workerId, job.claimToken]);
  if (!rowCount) throw new JobFailure("CLAIM_LOST", "This worker no longer owns the job.");
  log({ level: "info", message: "NOOP done." });
  return { worker: workerId };
};
