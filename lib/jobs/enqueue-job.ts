import type { Queryable } from "./db";
import { draftRefusal } from "./draft-refusal";
import { JobFailure } from "./errors";
import { isUuid, type JobKind, type JobRow, type JobTrigger, toJobRow } from "./queue";
import { SQL } from "./queue-sql";
import { targetKeyOf } from "./target-key";

// Enqueue a job and wake an idle worker (NOTIFY; workers also poll). A clone runs the workflow
// version that is current now (stored on the job). "Run now" while a run of the workflow is
// queued coalesces into that run: the partial unique index refuses a second queued clone, and the
// caller gets the queued job back with `coalesced: true` (its input is the first request's).
// A clone of a draft version is refused here (UNREVIEWED_COLUMNS), except a scheduled one: it
// is enqueued and the worker fails it with the same message, so the schedule's refusal is seen.

export type EnqueueInput = {
  orgId: string;
  kind: JobKind;
  trigger?: JobTrigger;
  workflowId?: string;
  connectionId?: string;
  triggeredByUserId?: string;
  triggeredByKeyId?: string;
  input?: Record<string, unknown>;
  maxAttempts?: number;
  /** Schedules only: the cron tick this job is for (unique per workflow). */
  scheduleTick?: Date;
};

export type EnqueueResult = { job: JobRow; coalesced: boolean } | { job: null; coalesced: false; reason: "TICK_NOT_INSERTED" };

export async function enqueueJob(db: Queryable, e: EnqueueInput): Promise<EnqueueResult> {
  let version: number | null = null;
  let targetKey: string | null = null;
  if (e.workflowId !== undefined) {
    if (!isUuid(e.workflowId)) throw new JobFailure("NOT_FOUND", "That workflow was not found.");
    const { rows } = await db.query<{ current_version: number; config: unknown; draft: boolean | null }>(SQL.workflowToEnqueue, [e.workflowId, e.orgId]);
    if (!rows[0]) throw new JobFailure("NOT_FOUND", "That workflow was not found.");
    version = rows[0].current_version;
    if (e.kind === "CLONE" && rows[0].draft && e.trigger !== "SCHEDULE") throw await draftRefusal(db, { orgId: e.orgId, version, config: rows[0].config });
    if (e.kind === "CLONE") targetKey = await targetKeyOf(db, e.orgId, rows[0].config);
  }
  if (e.kind === "CLONE" && !e.workflowId) throw new JobFailure("INVALID_INPUT", "A clone job needs a workflow.");
  const params = [
    e.orgId, e.kind, e.trigger ?? "MANUAL", e.workflowId ?? null, version, e.connectionId ?? null,
    e.triggeredByUserId ?? null, e.triggeredByKeyId ?? null, JSON.stringify(e.input ?? {}),
    e.maxAttempts ?? 5, e.scheduleTick ?? null, targetKey,
  ];
  // A queued clone may start (leave QUEUED) between our failed insert and the look-up: try again.
  for (let i = 0; i < 5; i++) {
    const inserted = await db.query(SQL.insertJob, params);
    if (inserted.rows[0]) {
      await db.query(SQL.wake);
      return { job: toJobRow(inserted.rows[0]), coalesced: false };
    }
    if (e.scheduleTick) return { job: null, coalesced: false, reason: "TICK_NOT_INSERTED" };
    const queued = await db.query(SQL.queuedCloneOf, [e.workflowId]);
    if (queued.rows[0]) return { job: toJobRow(queued.rows[0]), coalesced: true };
  }
  throw new JobFailure("CONFLICT", "The workflow's queue changed too often to enqueue a run; try again.", "", true);
}
