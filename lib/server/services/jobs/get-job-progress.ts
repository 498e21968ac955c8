import type { JobStatus, Role } from "../../../../generated/prisma/enums";
import { isUuid } from "../../../jobs/queue";
import type { JobProgress } from "../../../jobs/progress";
import { prisma, type Db } from "../../db";
import type { JobLogLine } from "./get-job-detail";
import { canSeeJobDetails } from "./job-visibility";

// What the job page polls (GET /api/jobs/{id}): status, progress and the log lines after the
// last one the browser has. The route resolves the caller's membership in the organisation that
// holds the job (lib/server/tenancy); tenancy in the query: another organisation's job does not
// exist here (null -> 404). A connection job's progress and log only for roles that may see
// connections (job-visibility.ts).

export type JobProgressView = {
  status: JobStatus;
  done: boolean;
  attempts: number;
  maxAttempts: number;
  cancelRequested: boolean;
  startedAt: string | null;
  finishedAt: string | null;
  progress: JobProgress | null;
  logs: JobLogLine[];
};

const DONE: JobStatus[] = ["SUCCEEDED", "FAILED", "CANCELED"];

export async function getJobProgress({ db = prisma, orgId, role, jobId, afterLogId }: { db?: Db; orgId: string; role: Role; jobId: string; afterLogId?: bigint }): Promise<JobProgressView | null> {
  if (!isUuid(jobId)) return null; // a malformed id names no job
  const job = await db.job.findFirst({
    where: { id: jobId, orgId },
    select: { id: true, kind: true, status: true, attempts: true, maxAttempts: true, cancelRequestedAt: true, startedAt: true, finishedAt: true, progress: true },
  });
  if (!job) return null;
  const visible = canSeeJobDetails(role, job.kind);
  const logs = !visible ? [] : await db.jobLog.findMany({
    where: { jobId: job.id, ...(afterLogId !== undefined ? { id: { gt: afterLogId } } : {}) },
    orderBy: { id: "asc" },
    take: 500,
  });
  return {
    status: job.status,
    done: DONE.includes(job.status),
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    cancelRequested: job.cancelRequestedAt !== null,
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    progress: visible ? ((job.progress as JobProgress | null) ?? null) : null,
    logs: logs.map((l) => ({ id: l.id.toString(), at: l.at.toISOString(), level: l.level, message: l.message })),
  };
}
