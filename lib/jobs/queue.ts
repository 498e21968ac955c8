import { randomUUID } from "node:crypto";
import type pg from "pg";
import { inTransaction, type Queryable } from "./db";
import { isTransientDbError, type JobErrorInfo } from "./errors";
import { faultPoint } from "./fault-points";
import { SQL } from "./queue-sql";

// Typed wrappers around queue-sql.ts: claim, heartbeat, progress, finish, reclaim, cancel.
// Enqueueing lives in enqueue-job.ts.

export const JOB_KINDS = ["CLONE", "PII_SCAN", "TEST_CONNECTION", "INTROSPECT", "NOOP"] as const;
export type JobKind = (typeof JOB_KINDS)[number];
export type JobStatus = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELED";
export type JobTrigger = "MANUAL" | "SCHEDULE" | "API";

export type JobRow = {
  id: string;
  orgId: string;
  kind: JobKind;
  status: JobStatus;
  trigger: JobTrigger;
  workflowId: string | null;
  workflowVersion: number | null;
  connectionId: string | null;
  triggeredByUserId: string | null;
  triggeredByKeyId: string | null;
  input: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  runAfter: Date;
  claimToken: string | null;
  claimedBy: string | null;
  heartbeatAt: Date | null;
  cancelRequestedAt: Date | null;
  scheduleTick: Date | null;
  targetKey: string | null;
  progress: unknown;
  report: unknown;
  error: JobErrorInfo | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

/** A job this worker holds: the claim token is not null. */
export type ClaimedJob = JobRow & { claimToken: string };

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export function toJobRow(row: Record<string, unknown>): JobRow {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v])) as JobRow;
}

export type ClaimOptions = { workerId: string; kinds: readonly JobKind[]; orgLimit: number };

/**
 * Thrown by claimNextJob when the connection failed after a job was claimed, at COMMIT: the claim
 * may have committed. findClaim(claimToken) tells, once the database answers again.
 */
export class ClaimOutcomeUnknown extends Error {
  constructor(readonly claimToken: string, cause: unknown) {
    super("The app database connection failed while a claim was committing.", { cause });
    this.name = "ClaimOutcomeUnknown";
  }
}

/** Claims the next eligible job for this worker, or returns null. See queue-sql.ts for the protocol. */
export async function claimNextJob(pool: pg.Pool, opts: ClaimOptions): Promise<ClaimedJob | null> {
  const skippedOrgs: string[] = [];
  for (let round = 0; round < 10; round++) {
    const claimToken = randomUUID();
    let claimed = false;
    const outcome = await inTransaction(pool, async (client): Promise<"none" | "raced" | ClaimedJob> => {
      const { rows } = await client.query<{ org_id: string }>(SQL.pickOrg, [opts.kinds, skippedOrgs, opts.orgLimit]);
      const orgId = rows[0]?.org_id;
      if (!orgId) return "none";
      await client.query(SQL.lockOrg, [orgId]);
      await faultPoint("claim");
      const { rows: [job] } = await client.query(SQL.claim, [orgId, opts.workerId, opts.orgLimit, opts.kinds, claimToken]);
      if (job) {
        claimed = true;
        return toJobRow(job) as ClaimedJob;
      }
      skippedOrgs.push(orgId); // other workers took what this organisation may run now
      return "raced";
    }).catch((err: unknown) => {
      throw claimed && isTransientDbError(err) ? new ClaimOutcomeUnknown(claimToken, err) : err;
    });
    if (outcome !== "raced") return outcome === "none" ? null : outcome;
  }
  return null;
}

/** The job a claim took if it committed (see ClaimOutcomeUnknown), else null. */
export async function findClaim(db: Queryable, claimToken: string): Promise<ClaimedJob | null> {
  const { rows } = await db.query(SQL.claimedBy, [claimToken]);
  return rows[0] ? (toJobRow(rows[0]) as ClaimedJob) : null;
}

export type ReclaimedJob = { id: string; orgId: string; status: JobStatus; attempts: number };

/** Returns expired jobs (worker stopped heartbeating) to the queue; any worker may call it. */
export async function reclaimExpiredJobs(db: Queryable, opts: { leaseMs: number; retryBaseMs: number; retryMaxMs: number }): Promise<ReclaimedJob[]> {
  const { rows } = await db.query(SQL.reclaimExpired, [opts.leaseMs, opts.retryBaseMs, opts.retryMaxMs]);
  return rows.map((r) => ({ id: r.id, orgId: r.org_id, status: r.status, attempts: r.attempts }));
}

type Claim = { id: string; claimToken: string };

/** null: the claim is lost. Otherwise whether a cancel was requested. */
export async function heartbeat(db: Queryable, job: Claim): Promise<{ cancelRequested: boolean } | null> {
  const { rows } = await db.query<{ cancel_requested_at: Date | null }>(SQL.heartbeat, [job.id, job.claimToken]);
  return rows[0] ? { cancelRequested: rows[0].cancel_requested_at !== null } : null;
}

export type LogLine = { level: "info" | "warn" | "error"; message: string };

/** Writes progress (null: unchanged) and log lines; false when the claim is lost. */
export async function writeProgress(db: Queryable, job: Claim, progress: unknown, logs: LogLine[]): Promise<boolean> {
  const { rows } = await db.query(SQL.progress, [job.id, job.claimToken, progress === null ? null : JSON.stringify(progress), JSON.stringify(logs)]);
  return rows.length > 0;
}

export type FinalState =
  | { status: "SUCCEEDED"; report: unknown }
  | { status: "FAILED" | "CANCELED"; error: JobErrorInfo; report?: unknown };

/** The fenced final write; false when the claim is lost (nothing was written). Safe to repeat (see SQL.finish). */
export async function finishJob(db: Queryable, job: Claim, state: FinalState): Promise<boolean> {
  const report = state.report === undefined ? null : JSON.stringify(state.report);
  const error = state.status === "SUCCEEDED" ? null : JSON.stringify(state.error);
  const { rows } = await db.query(SQL.finish, [job.id, job.claimToken, state.status, report, error]);
  return rows.length > 0;
}

/**
 * Back to the queue after delayMs (QUEUED), or FAILED when a queued run of the clone's workflow
 * supersedes it; null when the claim is lost. Writes the job log line for the attempt.
 */
export async function retryJob(db: Queryable, job: Claim, delayMs: number, error: JobErrorInfo): Promise<"QUEUED" | "FAILED" | null> {
  const { rows } = await db.query<{ status: "QUEUED" | "FAILED" }>(SQL.retry, [job.id, job.claimToken, delayMs, JSON.stringify(error)]);
  return rows[0]?.status ?? null;
}

/** Hands the job back (graceful shutdown) without burning an attempt: QUEUED, or CANCELED when superseded; null when the claim is lost. */
export async function releaseJob(db: Queryable, job: Claim): Promise<"QUEUED" | "CANCELED" | null> {
  const { rows } = await db.query<{ status: "QUEUED" | "CANCELED" }>(SQL.release, [job.id, job.claimToken]);
  return rows[0]?.status ?? null;
}

/**
 * Cancels a job of this organisation: a queued one ends at once, a running one is flagged and its
 * worker (woken by NOTIFY, or at its next heartbeat) aborts it. null: no such job in this
 * organisation, or it already ended.
 */
export async function cancelJob(db: Queryable, opts: { orgId: string; jobId: string }): Promise<"CANCELED" | "CANCEL_REQUESTED" | null> {
  if (!isUuid(opts.jobId)) return null;
  const { rows } = await db.query<{ status: JobStatus }>(SQL.cancel, [opts.jobId, opts.orgId]);
  if (!rows[0]) return null;
  if (rows[0].status === "CANCELED") return "CANCELED";
  await db.query(SQL.notifyCancel, [opts.jobId]);
  return "CANCEL_REQUESTED";
}

/** A job of this organisation (null for another organisation's, like a missing one). */
export async function getJob(db: Queryable, opts: { orgId: string; jobId: string }): Promise<JobRow | null> {
  if (!isUuid(opts.jobId)) return null;
  const { rows } = await db.query(SQL.getJob, [opts.jobId, opts.orgId]);
  return rows[0] ? toJobRow(rows[0]) : null;
}

export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
