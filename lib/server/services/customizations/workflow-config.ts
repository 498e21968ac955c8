import { ZWorkflowConfig, type TWorkflowConfig } from "../../../schemas/workflow";
import { isUuid } from "../../../jobs/queue";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";
import { createWorkflowVersion, type CreateWorkflowVersionOptions } from "../workflows/create-workflow-version";

// Reading a workflow's current configuration, and saving a change to one part of it (a
// customization, the PII scanner's "add rule") as a NEW version: a run uses the version current
// when it was enqueued. The save itself is the editor's (workflows/create-workflow-version.ts).

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
  const wf = isUuid(workflowId) // a malformed id is a missing workflow
    ? await db.workflow.findFirst({ where: { id: workflowId, orgId }, select: { id: true, name: true, currentVersion: true, customizationValues: true } })
    : null;
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
 * Applies `change` to the current config and saves the result as version n+1 through
 * createWorkflowVersion (conditional on n; the same connection and catalog checks as the editor).
 */
export async function reviseWorkflowConfig(opts: {
  db?: Db;
  orgId: string;
  workflowId: string;
  actor: OrgActor;
  change: (config: TWorkflowConfig) => TWorkflowConfig;
  /** Or a function of the workflow, called after `change` (so it can say what the change did). */
  audit: CreateWorkflowVersionOptions["audit"] | ((workflow: { name: string }) => CreateWorkflowVersionOptions["audit"]);
}): Promise<{ version: number; config: TWorkflowConfig }> {
  const db = opts.db ?? prisma;
  const wf = await loadWorkflowConfig({ db, orgId: opts.orgId, workflowId: opts.workflowId });
  if (!wf.config) throw new AppError("CONFLICT", "Set up this workflow first (source, tables and an output), then come back.");
  const next = ZWorkflowConfig.safeParse(opts.change(structuredClone(wf.config)));
  if (!next.success) throw new AppError("VALIDATION", `The workflow would not be valid: ${next.error.issues[0]?.message ?? "check it"}.`);
  const config = next.data;
  const audit = typeof opts.audit === "function" ? opts.audit({ name: wf.name }) : opts.audit;
  const { version } = await db.$transaction((tx) =>
    createWorkflowVersion(tx as Db, { orgId: opts.orgId, workflowId: wf.id, baseVersion: wf.currentVersion, config, actor: opts.actor, audit, keepKnownColumns: true }),
  );
  return { version, config };
}
