import { z } from "zod";
import { prisma, type Db } from "../../db";
import { JOB_SUMMARY_SELECT, summarizeJobs, type JobSummary } from "./job-summary";

// Job history of an organisation, newest first, filtered by status / workflow / kind, in pages.

export const JOB_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED"] as const;
export const JOB_PAGE_SIZE = 20;

export const ZJobFilter = z.object({
  status: z.enum(JOB_STATUSES).optional().catch(undefined),
  workflowId: z.uuid().optional().catch(undefined),
  kind: z.enum(["CLONE", "PII_SCAN"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type TJobFilter = z.infer<typeof ZJobFilter>;

export type JobPage = { items: JobSummary[]; page: number; hasNext: boolean };

export async function listJobs({ db = prisma, orgId, filter }: { db?: Db; orgId: string; filter: TJobFilter }): Promise<JobPage> {
  const rows = await db.job.findMany({
    where: { orgId, status: filter.status, workflowId: filter.workflowId, kind: filter.kind ?? { in: ["CLONE", "PII_SCAN"] } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (filter.page - 1) * JOB_PAGE_SIZE,
    take: JOB_PAGE_SIZE + 1,
    select: JOB_SUMMARY_SELECT,
  });
  const items = await summarizeJobs(db, orgId, rows.slice(0, JOB_PAGE_SIZE));
  return { items, page: filter.page, hasNext: rows.length > JOB_PAGE_SIZE };
}
