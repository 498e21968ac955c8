import type pg from "pg";
import type { ProgressEvent } from "../../pipeline/types";
import type { ClaimedJob, LogLine } from "../queue";

// What a job handler gets. It returns the job's report (stored on success) or throws; the
// worker classifies the error (lib/jobs/errors.ts) and decides retry / fail / cancel.
export type JobContext = {
  job: ClaimedJob;
  /** Aborted on cancel, lost claim or shutdown: pass it into every stream and query loop. */
  signal: AbortSignal;
  /** The app database. Handlers write to it only through the fenced helpers below or inside their own domain tables. */
  pool: pg.Pool;
  workerId: string;
  /** Engine progress events; persisted about once a second. */
  onProgress(event: ProgressEvent): void;
  log(line: LogLine): void;
  /** Throws when this worker no longer holds the job's claim (for the clone's beforeSwapCommit). */
  assertClaim(): Promise<void>;
};

export type JobHandler = (ctx: JobContext) => Promise<unknown>;
