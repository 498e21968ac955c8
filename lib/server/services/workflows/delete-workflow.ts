import { recordAudit } from "../../audit";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";

/** Deletes a workflow with its versions and run history; refused while a run is in progress. */
export async function deleteWorkflow({ db = prisma, orgId, actor, workflowId }: { db?: Db; orgId: string; actor: OrgActor; workflowId: string }): Promise<void> {
  const wf = await db.workflow.findFirst({ where: { id: workflowId, orgId }, select: { id: true, name: true } });
  if (!wf) throw notFound("That workflow");
  const running = await db.job.count({ where: { orgId, workflowId: wf.id, status: "RUNNING" } });
  if (running > 0) throw new AppError("CONFLICT", "A run of this workflow is in progress. Cancel it or wait for it to finish, then delete the workflow.");
  const deleted = await db.workflow.deleteMany({ where: { id: wf.id, orgId } });
  if (deleted.count !== 1) throw notFound("That workflow");
  await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "workflow.deleted", target: wf.name }, db);
}
