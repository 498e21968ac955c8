import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { type Queryable, withClient } from "./db";
import { describeForLog, isTransientDbError } from "./errors";
import { type FaultPoint, faultPoint } from "./fault-points";
import type { Logger } from "./logger";

// The worker's calls to its own app database retry transient errors (connection terminated,
// server shutting down or starting, 08xxx, ECONNRESET/ECONNREFUSED ...; errors.ts decides) with
// capped exponential backoff and jitter, so a restart of the database or a burst of killed
// connections is waited out instead of failing jobs or the process. Other errors are thrown at
// once. Each call says how long it may keep trying: periodic calls (heartbeat, progress) until
// their next turn, the claim check before a swap within the lease, final writes until they land.

const BASE_MS = 100;
export const DEFAULT_CAP_MS = 5_000;

/** Delay before try n+1 after n failures: exponential up to the cap, then a random half of it taken off. */
export function dbBackoffMs(failures: number, capMs = DEFAULT_CAP_MS, random = Math.random): number {
  const exp = Math.min(capMs, BASE_MS * 2 ** Math.max(failures - 1, 0));
  return Math.round(exp / 2 + (random() * exp) / 2);
}

export type AppDbCall = {
  /** Names the call in the log ("heartbeat", "final write"). */
  what: string;
  log: Logger;
  /** Stop retrying (throw the last error) when it has been failing this long; default: until it lands. */
  deadlineMs?: number;
  capMs?: number;
  /** A fault drill may stop the call here, holding its connection (fault-points.ts). */
  point?: FaultPoint;
  /** Aborted: stop retrying (throw the last error); the worker gives up this way at the end of a shutdown. */
  signal?: AbortSignal;
};

export async function retryTransient<T>(call: AppDbCall, fn: () => Promise<T>): Promise<T> {
  let firstFailure = 0;
  for (let failures = 1; ; failures++) {
    try {
      return await fn();
    } catch (err) {
      firstFailure ||= Date.now();
      const delayMs = dbBackoffMs(failures, call.capMs);
      if (!isTransientDbError(err) || call.signal?.aborted || Date.now() - firstFailure + delayMs > (call.deadlineMs ?? Infinity)) throw err;
      call.log("warn", `app database: ${call.what} failed; retrying`, { error: describeForLog(err), failures, retryInMs: delayMs });
      await sleep(delayMs, undefined, { signal: call.signal }).catch(() => {});
      if (call.signal?.aborted) throw err;
    }
  }
}

/** One app-database call on its own pooled connection (db.ts withClient), retried by retryTransient. */
export function onAppDb<T>(pool: pg.Pool, call: AppDbCall, fn: (db: Queryable) => Promise<T>): Promise<T> {
  return retryTransient(call, () =>
    withClient(pool, async (client) => {
      if (call.point) await faultPoint(call.point);
      return fn(client);
    }),
  );
}

/**
 * The app database as a job handler sees it (JobContext.pool): reads retry transient errors like the
 * worker's own calls, within `call.deadlineMs`, so a killed connection while a run loads its
 * definition or connection does not cost an attempt. Writes are sent once: a handler's writes are
 * fenced single statements, and one whose answer was lost may have committed, so retrying it blindly
 * could apply it twice; a failed write fails the attempt, which the job's retry policy repeats.
 */
export function retryingReads(pool: Queryable, call: AppDbCall): Queryable {
  return {
    query: (text, values) => (isRead(text) ? retryTransient(call, () => pool.query(text, values)) : pool.query(text, values)),
  };
}

const isRead = (sql: string) => /^\s*(SELECT|WITH\s+[\s\S]*?\)\s*SELECT)\b/i.test(sql) && !/\b(INSERT|UPDATE|DELETE|FOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE))\b/i.test(sql);
