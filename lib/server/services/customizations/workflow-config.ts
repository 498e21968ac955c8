import { ZWorkflowConfig, type TWorkflowConfig } from "../../../schemas/workflow";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";

// Reading a workflow's current configuration, and saving a change to it as a NEW version
// (a run uses the version current when it was enqueued). Minimal on purpose: the workflow
// editor's services (lib/server/services/workflows) own the full save; customizations and
// the PII scanner's "add rule" only change one part of the config and go through here.

export type WorkflowWithConfig = {
  id: string;
  name: string;
  currentVersion: number;
  customizationValues: Record<string, unknown>;
  /** null while the workflow has no valid saved version (nothing set up yet). */
  config: TWorkflowConfig | null;
  versionSavedAt: Date | null;
};

export async function loadWorkflowConfig({ db = prisma, orgId, workflowId }: { db?: Db; orgId: string; workflowId: string }): Promise<WorkflowWithConfig> {
  const wf = await db.workflow
    .findFirst({ where: { id: workflowId, orgId }, select: { id: true, name: true, currentVersion: true, customizationValues: true } })
    .catch(() => null); // a malformed id is a missing workflow
  if (!wf) throw notFound("That workflow");
  const version = await db.workflowVersion.findUnique({
    where: { workflowId_version: { workflowId: wf.id, version: wf.currentVersion } },
    select: { config: true, createdAt: true },
  });
  const parsed = version ? ZWorkflowConfig.safeParse(version.config) : null;
  return {
    id: wf.id,
    name: wf.name,
    currentVersion: wf.currentVersion,
    customizationValues: (wf.customizationValues ?? {}) as Record<string, unknown>,
    config: parsed?.success ? parsed.data : null,
    versionSavedAt: version?.createdAt ?? null,
  };
}

/**
 * Applies `change` to the current config and stores the result as version n+1. Conditional on
 * the version still being n, so two people saving at once cannot silently overwrite each other.
 */
export async function reviseWorkflowConfig(opts: {
  db?: Db;
  orgId: string;
  workflowId: string;
  userId: string;
  change: (config: TWorkflowConfig) => TWorkflowConfig;
}): Promise<{ version: number; config: TWorkflowConfig }> {
  const db = opts.db ?? prisma;
  const wf = await loadWorkflowConfig({ db, orgId: opts.orgId, workflowId: opts.workflowId });
  if (!wf.config) throw new AppError("CONFLICT", "Set up this workflow first (source, tables and an output), then come back.");
  const next = ZWorkflowConfig.safeParse(opts.change(structuredClone(wf.config)));
  if (!next.success) throw new AppError("VALIDATION", `The workflow would not be valid: ${next.error.issues[0]?.message ?? "check it"}.`);
  const version = wf.currentVersion + 1;
  await db.$transaction(async (tx) => {
    const bumped = await tx.workflow.updateMany({
      where: { id: wf.id, orgId: opts.orgId, currentVersion: wf.currentVersion },
      data: { currentVersion: version },
    });
    if (bumped.count !== 1) throw new AppError("CONFLICT", "Someone else saved this workflow a moment ago. Reload the page and try again.");
    await tx.workflowVersion.create({ data: { workflowId: wf.id, version, config: next.data as object, createdById: opts.userId } });
  });
  return { version, config: next.data };
}
