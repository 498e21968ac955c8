import { setTimeout as sleep } from "node:timers/promises";
import type { JobHandler } from "./types";

// NOOP: health checks and queue tests. Optionally waits `input.sleepMs` (abortable), then records
// one row per job in noop_runs; the primary key makes a job that ran twice fail loudly.
export const runNoop: JobHandler = async ({ job, signal, pool, workerId, log }) => {
  const sleepMs = Number(job.input.sleepMs ?? 0);
  if (sleepMs > 0) await sleep(sleepMs, undefined, { signal });
  await pool.query(`INSERT INTO noop_runs (job_id, worker) VALUES ($1::uuid, $2)`, [job.id, workerId]);
  log({ level: "info", message: "NOOP done." });
  return { worker: workerId };
};
