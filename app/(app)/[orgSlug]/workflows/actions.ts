"use server";

import { z } from "zod";
import { ZRule } from "@/lib/schemas/rules";
import { orgAction, type OrgActionCtx } from "@/lib/server/tenancy/org-action";
import { deleteWorkflow } from "@/lib/server/services/workflows/delete-workflow";
import { getEditorCatalog } from "@/lib/server/services/workflows/editor-catalog";
import { previewColumn, savedPreviewRule } from "@/lib/server/services/workflows/preview-column";
import { saveWorkflow, ZSaveWorkflow } from "@/lib/server/services/workflows/save-workflow";
import { suggestRules } from "@/lib/server/services/workflows/suggest-rules";

// The workflow editor. Admins save (each save is a new version) and load any connection's table
// list (the page itself passes the saved source's list to everyone who may read the workflow);
// everyone who may read a workflow may preview rules with masked originals. Roles that
// may not see connections preview only the rules an admin saved (looked up here by workflow,
// never taken from the browser: a rule like mask keepLast:16 would show the originals) and get
// no "after" that gives an original away; admins preview unsaved changes and may reveal.

export const saveWorkflowAction = orgAction({ name: "workflow.save", schema: ZSaveWorkflow, permission: ["workflow", "update"] }, (ctx, input) =>
  saveWorkflow({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, input }),
);

export const deleteWorkflowAction = orgAction({ name: "workflow.delete", schema: z.object({ workflowId: z.uuid() }), permission: ["workflow", "delete"] }, async (ctx, input) => {
  await deleteWorkflow({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, workflowId: input.workflowId });
  return null;
});

// A connection's tables, row estimates and columns are connection details: connection:read.
export const sourceCatalogAction = orgAction({ name: "workflow.sourceCatalog", schema: z.object({ connectionId: z.uuid() }), permission: ["connection", "read"] }, (ctx, input) =>
  getEditorCatalog({ db: ctx.db, orgId: ctx.org.id, connectionId: input.connectionId }),
);

const ZPreview = z.object({
  workflowId: z.uuid().optional(),
  connectionId: z.uuid(),
  schema: z.string().min(1),
  table: z.string().min(1),
  column: z.string().min(1),
  /** The editor's (possibly unsaved) rule: used for admins only. */
  rule: ZRule.optional(),
});

async function preview(ctx: OrgActionCtx, input: z.output<typeof ZPreview>, reveal: boolean) {
  const mayReveal = ctx.can("connection", "read");
  const { workflowId, rule, ...where } = input;
  const chosen = mayReveal && rule ? { connectionId: where.connectionId, rule } : await savedPreviewRule({ db: ctx.db, orgId: ctx.org.id, workflowId, ...where });
  return previewColumn({ db: ctx.db, orgId: ctx.org.id, ...where, ...chosen, reveal, guard: !mayReveal });
}

export const previewColumnAction = orgAction({ name: "workflow.preview", schema: ZPreview, permission: ["workflow", "read"] }, (ctx, input) => preview(ctx, input, false));

export const revealPreviewAction = orgAction({ name: "workflow.previewReveal", schema: ZPreview, permission: ["connection", "read"] }, (ctx, input) => preview(ctx, input, true));

// The scanner fills the editor: sampling source values needs the right to read the connection.
const ZSuggest = z.object({ connectionId: z.uuid(), tables: z.array(z.object({ schema: z.string().min(1), table: z.string().min(1) })).max(2000) });

export const suggestRulesAction = orgAction({ name: "workflow.suggestRules", schema: ZSuggest, permission: ["connection", "read"] }, (ctx, input) =>
  suggestRules({ db: ctx.db, orgId: ctx.org.id, connectionId: input.connectionId, tables: input.tables }),
);
