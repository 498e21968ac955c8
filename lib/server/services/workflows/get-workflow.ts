import { type TWorkflowConfig, ZWorkflowConfig } from "../../../schemas/workflow";
import { isUuid } from "../../../jobs/queue";
import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";

export type WorkflowView = {
  id: string;
  name: string;
  currentVersion: number;
  cron: string | null;
  scheduleEnabled: boolean;
  migrationDryRun: boolean;
  /** null when the stored version is missing or no longer parses. */
  config: TWorkflowConfig | null;
};

export async function getWorkflow({ db = prisma, orgId, workflowId }: { db?: Db; orgId: string; workflowId: string }): Promise<WorkflowView> {
  const wf = isUuid(workflowId)
    ? await db.workflow.findFirst({ where: { id: workflowId, orgId }, select: { id: true, name: true, currentVersion: true, cron: true, scheduleEnabled: true, migrationDryRun: true } })
    : null;
  if (!wf) throw notFound("That workflow");
  const v = await db.workflowVersion.findUnique({ where: { workflowId_version: { workflowId: wf.id, version: wf.currentVersion } }, select: { config: true } });
  const parsed = v ? ZWorkflowConfig.safeParse(v.config) : null;
  return { ...wf, config: parsed?.success ? parsed.data : null };
}
