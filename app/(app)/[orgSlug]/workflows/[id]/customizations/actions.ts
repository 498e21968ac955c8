"use server";

import { orgAction } from "@/lib/server/tenancy/org-action";
import { deleteCustomization, saveCustomization, ZDeleteCustomization, ZSaveCustomization } from "@/lib/server/services/customizations/save-customization";

export const saveCustomizationAction = orgAction({ name: "customization.save", schema: ZSaveCustomization, permission: ["workflow", "update"] }, (ctx, input) =>
  saveCustomization({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, input }),
);

export const deleteCustomizationAction = orgAction({ name: "customization.delete", schema: ZDeleteCustomization, permission: ["workflow", "update"] }, (ctx, input) =>
  deleteCustomization({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, workflowId: input.workflowId, name: input.name }),
);
