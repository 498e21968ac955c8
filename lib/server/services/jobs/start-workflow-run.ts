import { jobsPool, type Queryable } from "../../../jobs/db";
import { enqueueJob } from "../../../jobs/enqueue-job";
import { UNREVIEWED_COLUMNS } from "../../../jobs/draft-refusal";
import { JobFailure } from "../../../jobs/errors";
import type { UnreviewedTable } from "../../../redaction/review";
import { ZWorkflowConfig } from "../../../schemas/workflow";
import { customizationValueErrors } from "../customizations/check-customization";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";

// "Run now" / "Reset demo now" from the browser: queue a clone of the workflow's current
// version. A click while a run of it is queued joins that run (coalesced) instead of adding one.
// The worker reads the workflow's saved customization values when the run starts; a value
// missing (or one the run would refuse) is asked for here, keyed to the parameter, and no run
// starts. A draft version is refused (enqueueJob), naming the columns to review.

export type StartedRun = { jobId: string; coalesced: boolean };

export async function startWorkflowRun(opts: { db?: Db; pool?: Queryable; orgId: string; userId: string; workflowId: string }): Promise<StartedRun> {
  const db = opts.db ?? prisma;
  const wf = await db.workflow
    .findFirst({ where: { id: opts.workflowId, orgId: opts.orgId }, select: { id: true, currentVersion: true, migrationDryRun: true, customizationValues: true } })
    .catch(() => null);
  if (!wf) throw notFound("That workflow");
  if (wf.migrationDryRun) {
    throw new AppError("CONFLICT", "This workflow is a migration dry-run: start it from CI with `doppel run --migration-file …` or the run API, which send the migration SQL.");
  }
  const version = await db.workflowVersion.findUnique({ where: { workflowId_version: { workflowId: wf.id, version: wf.currentVersion } }, select: { id: true, config: true } });
  if (!version) throw new AppError("CONFLICT", "This workflow is not set up yet: choose its source, tables and output, then save it.");
  const config = ZWorkflowConfig.safeParse(version.config);
  if (config.success) {
    const missing = customizationValueErrors(config.data.customizations, (wf.customizationValues ?? {}) as Record<string, unknown>);
    if (missing) throw new AppError("VALIDATION", missing.message, missing.fieldErrors);
  }
  return enqueueClone(opts.pool ?? jobsPool(), { orgId: opts.orgId, workflowId: wf.id, userId: opts.userId });
}

export async function enqueueClone(pool: Queryable, e: { orgId: string; workflowId: string; userId: string; input?: Record<string, unknown> }): Promise<StartedRun> {
  try {
    const { job, coalesced } = await enqueueJob(pool, { orgId: e.orgId, kind: "CLONE", trigger: "MANUAL", workflowId: e.workflowId, triggeredByUserId: e.userId, input: e.input });
    if (!job) throw new AppError("CONFLICT", "The run could not be queued. Try again.");
    return { jobId: job.id, coalesced };
  } catch (err) {
    if (err instanceof JobFailure && err.code === UNREVIEWED_COLUMNS) throw unreviewedError(err);
    if (err instanceof JobFailure) throw err.code === "NOT_FOUND" ? notFound("That workflow") : new AppError("CONFLICT", err.message);
    throw err;
  }
}

/** The draft refusal as a form error: the message names the columns; `unreviewed` lists them (table.column). */
function unreviewedError(err: JobFailure): AppError {
  const tables = ((err.report as { unreviewed?: UnreviewedTable[] } | undefined)?.unreviewed ?? []);
  return new AppError("VALIDATION", `${err.message} ${err.hint}`, { unreviewed: tables.flatMap((t) => t.columns.map((c) => `${t.table}.${c}`)) });
}
