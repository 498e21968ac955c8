"use server";

import { recordAudit } from "@/lib/server/audit";
import { saveCustomizationValues, ZCustomizationValues } from "@/lib/server/services/customizations/save-customization-values";
import { startRun } from "@/lib/server/services/jobs/start-run";
import { orgAction } from "@/lib/server/tenancy/org-action";

// The salesperson's page: save the next demo's values, or save them and reset the demo now.

export const saveDemoValuesAction = orgAction({ name: "demo.saveValues", schema: ZCustomizationValues, permission: ["customization_values", "update"] }, async (ctx, input) => {
  await saveCustomizationValues({ db: ctx.db, orgId: ctx.org.id, input });
  return null;
});

export const resetDemoAction = orgAction(
  { name: "demo.reset", schema: ZCustomizationValues, permission: [["workflow", "run"], ["customization_values", "update"]] },
  async (ctx, input) => {
    await saveCustomizationValues({ db: ctx.db, orgId: ctx.org.id, input });
    const run = await startRun({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, workflowId: input.workflowId });
    await recordAudit({ orgId: ctx.org.id, actor: { id: ctx.actor.userId, label: ctx.actor.label }, action: "demo.reset", target: run.workflowName, details: { workflowId: input.workflowId, jobId: run.jobId } }, ctx.db);
    return run;
  },
);
