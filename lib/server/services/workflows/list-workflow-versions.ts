import { type TWorkflowConfig, ZWorkflowConfig } from "../../../schemas/workflow";
import { prisma, type Db } from "../../db";
import { summarizeChange } from "./diff-configs";

export type WorkflowVersionItem = { version: number; createdAt: Date; author: string; changes: string[] };

/** The workflow's versions, newest first, each with who saved it and what changed from the one before. */
export async function listWorkflowVersions({ db = prisma, orgId, workflowId, limit = 50 }: { db?: Db; orgId: string; workflowId: string; limit?: number }): Promise<WorkflowVersionItem[]> {
  const versions = await db.workflowVersion.findMany({
    where: { workflowId, workflow: { orgId } },
    orderBy: { version: "desc" },
    take: limit + 1,
    select: { version: true, createdAt: true, config: true, createdById: true },
  });
  const authors = await db.user.findMany({ where: { id: { in: versions.map((v) => v.createdById).filter((x): x is string => !!x) } }, select: { id: true, name: true } });
  const byId = new Map(authors.map((a) => [a.id, a.name]));
  const configs = versions.map((v) => {
    const p = ZWorkflowConfig.safeParse(v.config);
    return p.success ? p.data : null;
  });
  return versions.slice(0, limit).map((v, i) => {
    const cfg = configs[i];
    const prev: TWorkflowConfig | null = configs[i + 1] ?? null;
    return {
      version: v.version,
      createdAt: v.createdAt,
      author: v.createdById ? (byId.get(v.createdById) ?? "A former member") : "Doppel",
      changes: cfg ? summarizeChange(v.version === 1 ? null : prev, cfg) : ["This version's configuration can no longer be read"],
    };
  });
}
