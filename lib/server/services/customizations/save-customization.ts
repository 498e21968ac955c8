import { z } from "zod";
import { ZCustomization, ZCustomizationParam } from "../../../schemas/workflow";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";
import { statementGrammarError } from "../../../pipeline/customization-grammar";
import { checkCustomization } from "./check-customization";
import { reviseWorkflowConfig } from "./workflow-config";

// Admins define a workflow's customizations: saved into the workflow config (a new version),
// which is what the engine runs after the load. Checked on save with the engine's parameter
// scanner and PostgreSQL's grammar (customization-grammar.ts).

export const ZSaveCustomization = z.object({
  workflowId: z.uuid(),
  /** The name of the customization being edited; absent for a new one. */
  originalName: z.string().max(100).optional(),
  name: z.string().trim().min(1, "Name the customization, e.g. \"Prospect's company\".").max(100),
  statement: z.string().trim().min(1, "Write the SQL statement.").max(20_000),
  params: z.array(ZCustomizationParam).max(20),
});
export type TSaveCustomization = z.infer<typeof ZSaveCustomization>;

export const ZDeleteCustomization = z.object({ workflowId: z.uuid(), name: z.string().min(1).max(100) });

export async function saveCustomization({ db = prisma, orgId, actor, input }: { db?: Db; orgId: string; actor: OrgActor; input: TSaveCustomization }) {
  const parsed = ZCustomization.safeParse({ name: input.name, statement: input.statement, params: input.params });
  if (!parsed.success) throw new AppError("VALIDATION", "Please correct the highlighted fields.", { params: [parsed.error.issues[0]?.message ?? "Check the parameters."] });
  const fieldErrors = checkCustomization(parsed.data);
  if (fieldErrors) throw new AppError("VALIDATION", "Please correct the highlighted fields.", fieldErrors);
  // PostgreSQL's own grammar: a syntax error is refused now, not when a run reaches its swap.
  const syntax = await statementGrammarError(parsed.data.statement);
  if (syntax) throw new AppError("VALIDATION", "Please correct the highlighted fields.", { statement: [syntax] });
  const c = parsed.data;
  const { version } = await reviseWorkflowConfig({
    db, orgId, workflowId: input.workflowId, actor,
    audit: { action: "workflow.customization_saved", target: c.name, details: { workflowId: input.workflowId } },
    change: (config) => {
      const list = config.customizations;
      const at = input.originalName === undefined ? -1 : list.findIndex((x) => x.name === input.originalName);
      if (input.originalName !== undefined && at === -1) throw notFound("That customization");
      if (list.some((x, i) => x.name === c.name && i !== at)) throw new AppError("VALIDATION", "Please correct the highlighted fields.", { name: ["Another customization of this workflow has that name."] });
      if (at === -1) list.push(c);
      else list[at] = c;
      return config;
    },
  });
  return { version };
}

export async function deleteCustomization({ db = prisma, orgId, actor, workflowId, name }: { db?: Db; orgId: string; actor: OrgActor; workflowId: string; name: string }) {
  const { version } = await reviseWorkflowConfig({
    db, orgId, workflowId, actor,
    audit: { action: "workflow.customization_deleted", target: name, details: { workflowId } },
    change: (config) => {
      const before = config.customizations.length;
      config.customizations = config.customizations.filter((c) => c.name !== name);
      if (config.customizations.length === before) throw notFound("That customization");
      return config;
    },
  });
  return { version };
}
