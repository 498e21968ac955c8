import { randomUUID } from "node:crypto";
import { EngineError } from "../pipeline/errors";

// What a failed attempt means for the job: retry (transient) or fail now (permanent), and the
// `{ code, message, hint }` stored in Job.error. Messages are plain words that name tables and
// columns at most: driver messages can quote row values, so they are never passed through.

export type JobErrorInfo = { code: string; message: string; hint: string };
export type Classified = { error: JobErrorInfo; transient: boolean };

/** A failure raised by a job handler itself (bad input, missing connection, ...). */
export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint = "",
    readonly transient = false,
    /** Stored on the job with the error (e.g. a migration dry-run's report). */
    readonly report?: unknown,
  ) {
    super(message);
    this.name = "JobFailure";
  }
}

const TRANSIENT_ENGINE_CODES = new Set(["SOURCE_UNREACHABLE", "TARGET_UNREACHABLE", "TARGET_BUSY", "SOURCE_BUSY"]);
const TRANSIENT_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
// serialization failure, deadlock, admin/crash shutdown, cannot connect now, too many connections
const TRANSIENT_SQLSTATE = new Set(["40001", "40P01", "57P01", "57P02", "57P03", "53300"]);

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e && chain.length < 8; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

function isTransientCause(err: unknown): boolean {
  return causes(err).some((e) => {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (TRANSIENT_ERRNO.has(code) || TRANSIENT_SQLSTATE.has(code) || code.startsWith("08"))) return true;
    // pg's own words for a connection that died, or a pooled client whose connection had died
    return e instanceof Error && /Connection terminated|is not queryable/.test(e.message);
  });
}

/** A failed app-database call worth repeating: the connection dropped, the server is restarting or busy. */
export const isTransientDbError = isTransientCause;

export function classifyError(err: unknown): Classified & { logId?: string } {
  if (err instanceof JobFailure) return { error: { code: err.code, message: err.message, hint: err.hint }, transient: err.transient };
  if (err instanceof EngineError) {
    const transient = TRANSIENT_ENGINE_CODES.has(err.code) || (err.code === "INTERNAL" || err.code === "S3_FAILED") && isTransientCause(err.cause);
    return { error: { code: err.code, message: err.message, hint: err.hint }, transient };
  }
  if (isTransientCause(err)) {
    return {
      error: { code: "TRANSIENT", message: "A database connection failed or a transaction had to be retried.", hint: "The job is retried automatically." },
      transient: true,
    };
  }
  const logId = randomUUID().slice(0, 8);
  return {
    error: { code: "INTERNAL", message: `The job failed unexpectedly (error id ${logId}).`, hint: "Run it again; if it keeps failing, send the error id and the worker log to support." },
    transient: false,
    logId,
  };
}

/** For the worker log: the one redaction rule of lib/server/errors.ts (class, code, frames; never the message). */
export { describeForLog } from "../server/errors";

/**
 * Delay before attempt n+1 after attempt n failed: exponential with jitter taken off the top
 * (at most a quarter), so each delay is longer than the previous one until the cap.
 */
export function retryDelayMs(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const exp = baseMs * 2 ** Math.max(attempt - 1, 0);
  return Math.round(Math.min(maxMs, exp * (1 - random() * 0.25)));
}
