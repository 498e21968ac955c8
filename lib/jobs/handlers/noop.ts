import { setTimeout as sleep } from "node:timers/promises";
import { JobFailure } from "../errors";
import type { JobHandler } from "./types";

// NOOP: health checks and queue tests. Optionally waits `input.sleepMs` (abortable), then records
// one row per job in noop_runs; the primary key makes a job that ran twice fail loudly.
// The insert is fenced like every other write: it happens only while this worker holds the
// claim, and FOR SHARE keeps the job row from being reclaimed until the insert commits.
export const runNoop: JobHandler = async ({ job, signal, pool, workerId, log }) => {
  const sleepMs = Number(job.input.sleepMs ?? 0);
  if (sleepMs > 0) await sleep(sleepMs, undefined, { signal });
  const { rowCount } = await pool.query(
    `INSERT INTO noop_runs (job_id, worker)
     SELECT $1::uuid, $2 WHERE EXISTS (
       SELECT 1 FROM jobs WHERE id = $1::uuid AND claim_token = $3::uuid AND status = 'RUNNING' FOR SHARE)`,
    [job.id, workerId, job.claimToken],
  );
  if (!rowCount) throw new JobFailure("CLAIM_LOST", "This worker no longer owns the job.");
  log({ level: "info", message: "NOOP done." });
  return { worker: workerId };
};
