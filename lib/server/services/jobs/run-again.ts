import type { Role } from "../../../../generated/prisma/enums";
import { jobsPool, type Queryable } from "../../../jobs/db";
import { enqueueJob } from "../../../jobs/enqueue-job";
import { getJob } from "../../../jobs/queue";
import { AppError, notFound } from "../../errors";
import { can } from "../../permissions";
import { enqueueClone, type StartedRun } from "./start-workflow-run";

// "Run again" on a job page: the same kind of job with the same input (a clone runs the
// workflow's version current now; a scan scans the same connection again).
export async function runAgain(opts: { pool?: Queryable; orgId: string; userId: string; role: Role; jobId: string }): Promise<StartedRun> {
  const pool = opts.pool ?? jobsPool();
  const job = await getJob(pool, { orgId: opts.orgId, jobId: opts.jobId });
  if (!job) throw notFound("That run");
  if (job.kind === "CLONE" && job.workflowId) {
    if (!can(opts.role, "workflow", "run")) throw new AppError("FORBIDDEN", "Your role cannot start runs.");
    // Migration SQL runs as written on the target: only roles that may send it (the run API asks
    // for workflow:update) may run it again, or an editor could replay an admin's script.
    if (job.input.migrationSql && !can(opts.role, "workflow", "update")) {
      throw new AppError("FORBIDDEN", "This run applied migration SQL, which runs as written on the target database. Only admins and owners can run it again; ask one of them.");
    }
    return enqueueClone(pool, { orgId: opts.orgId, workflowId: job.workflowId, userId: opts.userId, input: job.input });
  }
  if (job.kind === "PII_SCAN" && job.connectionId) {
    if (!can(opts.role, "connection", "read")) throw new AppError("FORBIDDEN", "Only admins can scan connections.");
    const { job: scan } = await enqueueJob(pool, { orgId: opts.orgId, kind: "PII_SCAN", connectionId: job.connectionId, triggeredByUserId: opts.userId, input: job.input });
    if (!scan) throw new AppError("CONFLICT", "The scan could not be queued. Try again.");
    return { jobId: scan.id, coalesced: false };
  }
  throw new AppError("CONFLICT", "This kind of job cannot be run again from here.");
}
