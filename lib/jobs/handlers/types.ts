import type { ProgressEvent } from "../../pipeline/types";
import type { Queryable } from "../db";
import type { ClaimedJob, LogLine } from "../queue";

// What a job handler gets. It returns the job's report (stored on success) or throws; the
// worker classifies the error (lib/jobs/errors.ts) and decides retry / fail / cancel.
export type JobContext = {
  job: ClaimedJob;
  /** Aborted on cancel, lost claim or shutdown: pass it into every stream and query loop. */
  signal: AbortSignal;
  /**
   * The app database, for reads (retried on transient errors by the worker: app-db-retry.ts retryingReads). A handler's own writes are fenced: conditional on the job still
   * being RUNNING under this claim (`claim_token`, see introspect.ts and noop.ts), so a worker that
   * lost the job writes nothing. The job row itself is written only by the worker (queue-sql.ts).
   */
  pool: Queryable;
  workerId: string;
  /** Engine progress events; the worker persists the latest every WORKER_PROGRESS_INTERVAL_MS (1 s by default). */
  onProgress(event: ProgressEvent): void;
  log(line: LogLine): void;
  /** Throws when this worker no longer holds the job's claim (for the clone's beforeSwapCommit). */
  assertClaim(): Promise<void>;
};

export type JobHandler = (ctx: JobContext) => Promise<unknown>;
