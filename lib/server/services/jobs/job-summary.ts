import type { JobKind, JobStatus, JobTrigger } from "../../../../generated/prisma/enums";
import { prisma, type Db } from "../../db";

// What the job list, the dashboard and the job page say about a job: who or what started it,
// what it ran on, how long it took and how many rows it copied. Names are looked up in the
// same organisation only.

export type JobSummary = {
  id: string;
  kind: JobKind;
  status: JobStatus;
  trigger: JobTrigger;
  /** "Ada Lovelace", "API key GitHub Actions", "Schedule". */
  triggeredBy: string;
  workflow: { id: string; name: string } | null;
  connection: { id: string; name: string } | null;
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  durationMs: number | null;
  /** Rows written by a finished clone; null for other kinds or while running. */
  rowsCopied: number | null;
  /** A finished clone into a delta-enabled target: whether it applied changes ("delta") or copied everything ("full"); null otherwise. */
  deltaRun: "delta" | "full" | null;
  cancelRequested: boolean;
  error: { code: string; message: string; hint: string } | null;
};

type JobRecord = {
  id: string;
  orgId: string;
  kind: JobKind;
  status: JobStatus;
  trigger: JobTrigger;
  workflowId: string | null;
  connectionId: string | null;
  triggeredByUserId: string | null;
  triggeredByKeyId: string | null;
  attempts: number;
  maxAttempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelRequestedAt: Date | null;
  report: unknown;
  error: unknown;
};

export const JOB_SUMMARY_SELECT = {
  id: true, orgId: true, kind: true, status: true, trigger: true, workflowId: true, connectionId: true,
  triggeredByUserId: true, triggeredByKeyId: true, attempts: true, maxAttempts: true, createdAt: true,
  startedAt: true, finishedAt: true, cancelRequestedAt: true, report: true, error: true,
} as const;

export async function summarizeJobs(db: Db = prisma, orgId: string, jobs: JobRecord[]): Promise<JobSummary[]> {
  const ids = (pick: (j: JobRecord) => string | null) => [...new Set(jobs.map(pick).filter((x): x is string => !!x))];
  const [users, keys, workflows, connections] = await Promise.all([
    // Users who are (or were) members: names only.
    db.user.findMany({ where: { id: { in: ids((j) => j.triggeredByUserId) } }, select: { id: true, name: true } }),
    db.apiKey.findMany({ where: { orgId, id: { in: ids((j) => j.triggeredByKeyId) } }, select: { id: true, name: true } }),
    db.workflow.findMany({ where: { orgId, id: { in: ids((j) => j.workflowId) } }, select: { id: true, name: true } }),
    db.connection.findMany({ where: { orgId, id: { in: ids((j) => j.connectionId) } }, select: { id: true, name: true } }),
  ]);
  const name = <T extends { id: string; name: string }>(list: T[]) => new Map(list.map((x) => [x.id, x.name]));
  const userName = name(users);
  const keyName = name(keys);
  const workflowName = name(workflows);
  const connectionName = name(connections);
  return jobs.map((j) => {
    const triggeredBy =
      j.trigger === "SCHEDULE" ? "Schedule"
        : j.trigger === "API" ? `API key ${(j.triggeredByKeyId && keyName.get(j.triggeredByKeyId)) ?? "(deleted)"}`
          : !j.triggeredByUserId ? "Unknown" : (userName.get(j.triggeredByUserId) ?? "A former member");
    const report = j.report as { totals?: { rowsWritten?: unknown }; delta?: { run?: unknown } } | null;
    const totals = report?.totals;
    const run = report?.delta?.run;
    const error = j.error as JobSummary["error"];
    return {
      id: j.id,
      kind: j.kind,
      status: j.status,
      trigger: j.trigger,
      triggeredBy,
      workflow: j.workflowId ? { id: j.workflowId, name: workflowName.get(j.workflowId) ?? "Deleted workflow" } : null,
      connection: j.connectionId ? { id: j.connectionId, name: connectionName.get(j.connectionId) ?? "Deleted connection" } : null,
      attempts: j.attempts,
      maxAttempts: j.maxAttempts,
      createdAt: j.createdAt,
      startedAt: j.startedAt,
      finishedAt: j.finishedAt,
      durationMs: j.startedAt && j.finishedAt ? j.finishedAt.getTime() - j.startedAt.getTime() : null,
      rowsCopied: j.kind === "CLONE" && typeof totals?.rowsWritten === "number" ? totals.rowsWritten : null,
      deltaRun: j.kind === "CLONE" && (run === "delta" || run === "full") ? run : null,
      cancelRequested: j.cancelRequestedAt !== null,
      error: error && typeof error === "object" && typeof error.message === "string" ? { code: String(error.code ?? ""), message: error.message, hint: String(error.hint ?? "") } : null,
    };
  });
}
