import { jobsPool, type Queryable } from "../../../jobs/db";
import { enqueueJob } from "../../../jobs/enqueue-job";
import { getJob } from "../../../jobs/queue";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import { requirePermissions, type OrgActor } from "../../tenancy/membership";
import { startRun } from "./start-run";

export type RunAgainResult = { jobId: string; coalesced: boolean };

// "Run again" on a job page: the same kind of job with the same input (a clone runs the
// workflow's version current now, through startRun; a scan scans the same connection again).
export async function runAgain(opts: { db?: Db; pool?: Queryable; orgId: string; actor: OrgActor; jobId: string }): Promise<RunAgainResult> {
  const pool = opts.pool ?? jobsPool();
  const job = await getJob(pool, { orgId: opts.orgId, jobId: opts.jobId });
  if (!job) throw notFound("That run");
  if (job.kind === "CLONE" && job.workflowId) {
    const { customizationValues, migrationSql } = job.input as { customizationValues?: Record<string, unknown>; migrationSql?: string };
    const run = await startRun({ db: opts.db ?? prisma, pool, orgId: opts.orgId, actor: opts.actor, workflowId: job.workflowId, customizationValues, migrationSql });
    return { jobId: run.jobId, coalesced: run.coalesced };
  }
  if (job.kind === "PII_SCAN" && job.connectionId) {
    requirePermissions(opts.actor, ["connection", "read"], "Only admins can scan connections.");
    const { job: scan } = await enqueueJob(pool, { orgId: opts.orgId, kind: "PII_SCAN", connectionId: job.connectionId, triggeredByUserId: opts.actor.userId ?? undefined, input: job.input });
    if (!scan) throw new AppError("CONFLICT", "The scan could not be queued. Try again.");
    return { jobId: scan.id, coalesced: false };
  }
  throw new AppError("CONFLICT", "This kind of job cannot be run again from here.");
}
