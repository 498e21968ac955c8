"use server";

import { AppError } from "@/lib/server/errors";
import { orgAction } from "@/lib/server/org-action";
import { can } from "@/lib/server/permissions";
import { saveCustomizationValues, ZCustomizationValues } from "@/lib/server/services/customizations/save-customization-values";
import { startWorkflowRun } from "@/lib/server/services/jobs/start-workflow-run";

// The salesperson's page: save the next demo's values, or save them and reset the demo now.

export const saveDemoValuesAction = orgAction({ name: "demo.saveValues", schema: ZCustomizationValues, permission: ["customization_values", "update"] }, async (ctx, input) => {
  await saveCustomizationValues({ db: ctx.db, orgId: ctx.org.id, input });
  return null;
});

export const resetDemoAction = orgAction({ name: "demo.reset", schema: ZCustomizationValues, permission: ["workflow", "run"] }, async (ctx, input) => {
  if (!can(ctx.role, "customization_values", "update")) throw new AppError("FORBIDDEN", "Your role does not allow changing demo values.");
  await saveCustomizationValues({ db: ctx.db, orgId: ctx.org.id, input });
  return startWorkflowRun({ db: ctx.db, orgId: ctx.org.id, userId: ctx.user.id, workflowId: input.workflowId });
});
