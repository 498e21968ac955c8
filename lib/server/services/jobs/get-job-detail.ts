import type { JobProgress } from "../../../jobs/progress";
import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";
import { JOB_SUMMARY_SELECT, summarizeJobs, type JobSummary } from "./job-summary";

// One job for its page: the summary, the latest progress, the report and the log tail.

export const LOG_TAIL = 300;

export type JobLogLine = { id: string; at: string; level: string; message: string };

export type JobDetail = JobSummary & {
  workflowVersion: number | null;
  progress: JobProgress | null;
  report: unknown;
  input: Record<string, unknown>;
  logs: JobLogLine[];
};

export async function getJobDetail({ db = prisma, orgId, jobId }: { db?: Db; orgId: string; jobId: string }): Promise<JobDetail> {
  const job = await db.job
    .findFirst({ where: { id: jobId, orgId }, select: { ...JOB_SUMMARY_SELECT, workflowVersion: true, progress: true, input: true } })
    .catch(() => null); // a malformed id is a missing job
  if (!job) throw notFound("That run");
  const [summary] = await summarizeJobs(db, orgId, [job]);
  const logs = await db.jobLog.findMany({ where: { jobId: job.id }, orderBy: { id: "desc" }, take: LOG_TAIL });
  return {
    ...summary!,
    workflowVersion: job.workflowVersion,
    progress: (job.progress as JobProgress | null) ?? null,
    report: job.report,
    input: (job.input ?? {}) as Record<string, unknown>,
    logs: logs.reverse().map((l) => ({ id: l.id.toString(), at: l.at.toISOString(), level: l.level, message: l.message })),
  };
}
