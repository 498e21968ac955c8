import { isUuid, type JobStatus } from "../../../jobs/queue";
import { jobsPool, type Queryable } from "../../../jobs/db";
import { UNREVIEWED_COLUMNS } from "../../../jobs/draft-refusal";
import { enqueueJob } from "../../../jobs/enqueue-job";
import { JobFailure } from "../../../jobs/errors";
import { migrationSqlProblem } from "../../../jobs/migration-sql-rule";
import type { UnreviewedTable } from "../../../redaction/review";
import { ZWorkflowConfig } from "../../../schemas/workflow";
import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import { requirePermissions, type OrgActor } from "../../tenancy/membership";
import { customizationValueErrors } from "../customizations/check-customization";

// Starting a run of a workflow, one door for all: "Run now" and "Reset demo now" (the page),
// "Run again" (a job page), POST /api/v1/workflows/{id}/runs (an API key) and schedules (the
// worker, startScheduledRun). Plain Node: the worker loads it. The workflow's current version
// runs (enqueueJob); a request while a run of it is queued joins that run (coalesced) unless
// it asks for other values or other migration SQL. Before any job exists a person's request is
// checked: the roles (migration SQL runs as written on the target, so sending it needs
// workflow:update), the migration dry-run rule (migration-sql-rule.ts), the customization
// values the run would use, and a draft version (enqueueJob). Every run started is audited.

export type StartedRun = { jobId: string; status: JobStatus; coalesced: boolean; workflowName: string };

export type StartRunOptions = {
  db?: Db;
  pool?: Queryable;
  orgId: string;
  workflowId: string;
  /** A member (page, run again) or an API key (ctx.actor). */
  actor: OrgActor;
  /** The run's own values, over the workflow's saved ones (the API, run again). */
  customizationValues?: Record<string, unknown>;
  migrationSql?: string;
};

export async function startRun(opts: StartRunOptions): Promise<StartedRun> {
  const { actor } = opts;
  const db = opts.db ?? prisma;
  const pool = opts.pool ?? jobsPool();
  requirePermissions(actor, [["workflow", "run"], ...(opts.migrationSql ? [["workflow", "update"] as const] : [])], opts.migrationSql ? migrationSqlForbidden(actor) : undefined);
  const wf = await findWorkflow(db, opts.orgId, opts.workflowId);
  if (!wf) throw notFound("That workflow");
  const problem = migrationSqlProblem(wf.migrationDryRun, opts.migrationSql);
  // A member's page cannot send SQL, so for them a dry-run workflow is in the wrong state
  // (CONFLICT); an API request could have sent it, so for a key it is an invalid request.
  if (problem) throw new AppError(problem.kind === "MISSING" && !actor.keyId ? "CONFLICT" : "VALIDATION", `${problem.message} ${problem.hint}`);
  const version = await db.workflowVersion.findUnique({ where: { workflowId_version: { workflowId: wf.id, version: wf.currentVersion } }, select: { config: true } });
  if (!version) throw new AppError("CONFLICT", "This workflow is not set up yet: choose its source, tables and output, then save it.");
  const config = ZWorkflowConfig.safeParse(version.config);
  if (config.success) {
    const values = { ...((wf.customizationValues ?? {}) as Record<string, unknown>), ...opts.customizationValues };
    const missing = customizationValueErrors(config.data.customizations, values);
    if (missing) throw new AppError("VALIDATION", missing.message, missing.fieldErrors);
  }
  const input = { ...(opts.customizationValues ? { customizationValues: opts.customizationValues } : {}), ...(opts.migrationSql ? { migrationSql: opts.migrationSql } : {}) };
  const { job, coalesced } = await enqueueJob(pool, {
    orgId: opts.orgId, kind: "CLONE", trigger: actor.keyId ? "API" : "MANUAL", workflowId: wf.id,
    ...(actor.keyId ? { triggeredByKeyId: actor.keyId } : actor.userId ? { triggeredByUserId: actor.userId } : {}),
    input,
  }).catch((err) => {
    throw enqueueError(err);
  });
  if (!job) throw new AppError("CONFLICT", "The run could not be queued. Try again.");
  if (coalesced) {
    // The queued run runs with the first request's input: a request that asks for other SQL or
    // other values must not be told its run is queued.
    if ((job.input.migrationSql ?? undefined) !== opts.migrationSql) {
      throw new AppError("CONFLICT", "A run of this workflow with other migration SQL is already queued. Wait for it to start, then try again.", undefined, { jobId: job.id });
    }
    if (valuesKey(job.input.customizationValues) !== valuesKey(opts.customizationValues)) {
      throw new AppError("CONFLICT", "A run of this workflow with other customization values is already queued. Wait for it to start, then try again with your values.", undefined, { jobId: job.id });
    }
  } else {
    await recordAudit({ orgId: opts.orgId, actor: { id: actor.userId, label: actor.label }, action: "run.started", target: wf.name, details: { jobId: job.id, trigger: actor.keyId ? "api" : "manual" } }, pool);
  }
  return { jobId: job.id, status: job.status, coalesced, workflowName: wf.name };
}

/**
 * A schedule's tick (lib/jobs/scheduler.ts, inside its transaction on `client`): enqueued without
 * the checks above — a draft or a dry-run without SQL is failed by the worker, so the refusal
 * shows in the run history — and audited as started by "schedule" in the same transaction.
 */
export async function startScheduledRun(client: Queryable, opts: { orgId: string; workflowId: string; tick: Date }): Promise<{ jobId: string | null }> {
  const { job } = await enqueueJob(client, { orgId: opts.orgId, kind: "CLONE", trigger: "SCHEDULE", workflowId: opts.workflowId, scheduleTick: opts.tick });
  if (job) {
    const { rows } = await client.query<{ name: string }>(`SELECT name FROM workflows WHERE id = $1::uuid AND org_id = $2::uuid`, [opts.workflowId, opts.orgId]);
    await recordAudit({ orgId: opts.orgId, actor: { id: null, label: "schedule" }, action: "run.started", target: rows[0]?.name ?? null, details: { jobId: job.id, trigger: "schedule" } }, client);
  }
  return { jobId: job?.id ?? null };
}

/** Only "no such workflow here" is null; a failing database throws (a 503, not a 404). */
async function findWorkflow(db: Db, orgId: string, workflowId: string) {
  if (!isUuid(workflowId)) return null; // "not-a-uuid" names no workflow
  return db.workflow.findFirst({ where: { id: workflowId, orgId }, select: { id: true, name: true, currentVersion: true, migrationDryRun: true, customizationValues: true } });
}

function migrationSqlForbidden(actor: OrgActor): string {
  return actor.keyId
    ? `This API key's role (${actor.role.toLowerCase()}) can start runs but not send migration SQL, which runs on the target database. Use a key with the admin or owner role.`
    : "This run applied migration SQL, which runs as written on the target database. Only admins and owners can run it again; ask one of them.";
}

/** Order-independent form of a run's customization values (absent means none). */
const valuesKey = (v: unknown) => JSON.stringify(Object.entries((v ?? {}) as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function enqueueError(err: unknown): unknown {
  if (!(err instanceof JobFailure)) return err;
  if (err.code === UNREVIEWED_COLUMNS) {
    // The draft refusal: the message names the columns; the form gets them as table.column, the API as the report.
    const tables = (err.report as { unreviewed?: UnreviewedTable[] } | undefined)?.unreviewed ?? [];
    return new AppError("VALIDATION", `${err.message} ${err.hint}`, { unreviewed: tables.flatMap((t) => t.columns.map((c) => `${t.table}.${c}`)) }, err.report as Record<string, unknown>);
  }
  return err.code === "NOT_FOUND" ? notFound("That workflow") : new AppError("CONFLICT", err.message);
}
