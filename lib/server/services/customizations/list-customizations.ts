import type { TCustomization } from "../../../schemas/workflow";
import { prisma, type Db } from "../../db";
import type { CustomizationValue } from "./check-customization";
import { loadWorkflowConfig } from "./workflow-config";

export type WorkflowCustomizations = {
  workflow: { id: string; name: string; currentVersion: number; ready: boolean };
  customizations: TCustomization[];
  /** Saved values by parameter name (Workflow.customizationValues). */
  values: Record<string, CustomizationValue>;
};

/** The customizations of the workflow's current version and the saved demo values. */
export async function listCustomizations({ db = prisma, orgId, workflowId }: { db?: Db; orgId: string; workflowId: string }): Promise<WorkflowCustomizations> {
  const wf = await loadWorkflowConfig({ db, orgId, workflowId });
  const values: Record<string, CustomizationValue> = {};
  for (const [k, v] of Object.entries(wf.customizationValues)) {
    if (typeof v === "string" || typeof v === "boolean") values[k] = v;
    else if (typeof v === "number") values[k] = String(v);
  }
  return {
    workflow: { id: wf.id, name: wf.name, currentVersion: wf.currentVersion, ready: wf.config !== null },
    customizations: wf.config?.customizations ?? [],
    values,
  };
}

export type DemoWorkflow = { id: string; name: string; params: { name: string; label: string }[] };

/** Workflows whose current version has customizations: what the salesperson's "Demos" page lists. */
export async function listDemoWorkflows({ db = prisma, orgId }: { db?: Db; orgId: string }): Promise<DemoWorkflow[]> {
  const workflows = await db.workflow.findMany({ where: { orgId }, orderBy: { name: "asc" }, select: { id: true, name: true, currentVersion: true } });
  if (!workflows.length) return [];
  const versions = await db.workflowVersion.findMany({
    where: { OR: workflows.map((w) => ({ workflowId: w.id, version: w.currentVersion })) },
    select: { workflowId: true, config: true },
  });
  const configOf = new Map(versions.map((v) => [v.workflowId, v.config as { customizations?: TCustomization[] } | null]));
  const out: DemoWorkflow[] = [];
  for (const w of workflows) {
    const cs = configOf.get(w.id)?.customizations;
    if (Array.isArray(cs) && cs.length) out.push({ id: w.id, name: w.name, params: cs.flatMap((c) => (c.params ?? []).map((p) => ({ name: p.name, label: p.label }))) });
  }
  return out;
}
