import { nextRuns } from "../../../jobs/schedule";
import { prisma, type Db } from "../../db";
import { JOB_SUMMARY_SELECT, summarizeJobs, type JobSummary } from "./job-summary";

// The organisation's home: last run and next scheduled run per workflow, failed runs and scans of
// the last 7 days, and what exists so far (for the first-run checklist).

export type DashboardWorkflow = {
  id: string;
  name: string;
  lastRun: JobSummary | null;
  /** Next schedule tick (UTC) when a schedule is on. */
  nextRun: Date | null;
  cron: string | null;
};

export type DashboardSummary = {
  counts: { connections: number; workflows: number; runs: number };
  workflows: DashboardWorkflow[];
  failures: JobSummary[];
  failureCount: number;
};

const WEEK_MS = 7 * 24 * 3600 * 1000;

export async function dashboardSummary({ db = prisma, orgId, now = new Date() }: { db?: Db; orgId: string; now?: Date }): Promise<DashboardSummary> {
  const since = new Date(now.getTime() - WEEK_MS);
  // Failures of the work (clones, PII scans) only: a failed connection test or table refresh is
  // an answer shown where it was asked for (the connection form or page), not a failure to act on.
  const failedWhere = { orgId, status: "FAILED" as const, kind: { in: ["CLONE" as const, "PII_SCAN" as const] }, finishedAt: { gte: since } };
  const [connections, workflows, runs, failedRows, failureCount] = await Promise.all([
    db.connection.count({ where: { orgId } }),
    db.workflow.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, cron: true, scheduleEnabled: true } }),
    db.job.count({ where: { orgId, kind: "CLONE" } }),
    db.job.findMany({ where: failedWhere, orderBy: { finishedAt: "desc" }, take: 5, select: JOB_SUMMARY_SELECT }),
    db.job.count({ where: failedWhere }),
  ]);
  // The latest clone of each workflow, in one query.
  const lastIds = await db.$queryRaw<{ id: string }[]>`
    SELECT DISTINCT ON (workflow_id) id::text AS id FROM jobs
     WHERE org_id = ${orgId}::uuid AND kind = 'CLONE' AND workflow_id IS NOT NULL
     ORDER BY workflow_id, created_at DESC`;
  const lastRows = lastIds.length ? await db.job.findMany({ where: { orgId, id: { in: lastIds.map((r) => r.id) } }, select: JOB_SUMMARY_SELECT }) : [];
  const [last, failures] = await Promise.all([summarizeJobs(db, orgId, lastRows), summarizeJobs(db, orgId, failedRows)]);
  const lastBy = new Map(last.map((j) => [j.workflow?.id, j]));
  return {
    counts: { connections, workflows: workflows.length, runs },
    workflows: workflows.map((w) => ({
      id: w.id,
      name: w.name,
      lastRun: lastBy.get(w.id) ?? null,
      nextRun: w.scheduleEnabled && w.cron ? (safeNextRun(w.cron, now) ?? null) : null,
      cron: w.scheduleEnabled ? w.cron : null,
    })),
    failures,
    failureCount,
  };
}

function safeNextRun(cron: string, now: Date): Date | undefined {
  try {
    return nextRuns(cron, 1, now)[0];
  } catch {
    return undefined; // an invalid stored cron shows as "no schedule"; the editor flags it
  }
}
