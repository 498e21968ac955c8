import type { Role } from "../../../../generated/prisma/enums";
import type { JobProgress } from "../../../jobs/progress";
import { isUuid } from "../../../jobs/queue";
import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";
import { JOB_SUMMARY_SELECT, summarizeJobs, type JobSummary } from "./job-summary";
import { canSeeJobDetails, hiddenJobError } from "./job-visibility";

// One job for its page: the summary, the latest progress, the report and the log tail. A
// connection job's details (log, report, progress, error text) only for roles that may see
// connections (job-visibility.ts); others get its status.

export const LOG_TAIL = 300;

export type JobLogLine = { id: string; at: string; level: string; message: string };

export type JobDetail = JobSummary & {
  workflowVersion: number | null;
  progress: JobProgress | null;
  report: unknown;
  input: Record<string, unknown>;
  /** The worker that holds (or last held) the job, e.g. "vm:1234"; for the page's Details. */
  worker: string | null;
  logs: JobLogLine[];
  /** True when the role may not see this job's log, report and error text. */
  detailsHidden: boolean;
};

export async function getJobDetail({ db = prisma, orgId, role, jobId }: { db?: Db; orgId: string; role: Role; jobId: string }): Promise<JobDetail> {
  // A malformed id is a missing job; a failing database is an error, not a missing job.
  const job = isUuid(jobId) ? await db.job.findFirst({ where: { id: jobId, orgId }, select: { ...JOB_SUMMARY_SELECT, workflowVersion: true, progress: true, input: true, claimedBy: true } }) : null;
  if (!job) throw notFound("That run");
  const [summary] = await summarizeJobs(db, orgId, [job]);
  if (!canSeeJobDetails(role, job.kind)) {
    return { ...summary!, error: summary!.error && hiddenJobError(summary!.error.code), workflowVersion: job.workflowVersion, progress: null, report: null, input: {}, worker: null, logs: [], detailsHidden: true };
  }
  const logs = await db.jobLog.findMany({ where: { jobId: job.id }, orderBy: { id: "desc" }, take: LOG_TAIL });
  return {
    ...summary!,
    workflowVersion: job.workflowVersion,
    progress: (job.progress as JobProgress | null) ?? null,
    report: job.report,
    input: (job.input ?? {}) as Record<string, unknown>,
    worker: job.claimedBy,
    logs: logs.reverse().map((l) => ({ id: l.id.toString(), at: l.at.toISOString(), level: l.level, message: l.message })),
    detailsHidden: false,
  };
}
