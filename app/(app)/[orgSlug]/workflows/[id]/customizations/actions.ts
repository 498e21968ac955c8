"use server";

import { orgAction, type OrgActionCtx } from "@/lib/server/org-action";
import { deleteCustomization, saveCustomization, ZDeleteCustomization, ZSaveCustomization } from "@/lib/server/services/customizations/save-customization";

const actor = (ctx: OrgActionCtx) => ({ userId: ctx.user.id, label: ctx.user.email, role: ctx.role });

export const saveCustomizationAction = orgAction({ name: "customization.save", schema: ZSaveCustomization, permission: ["workflow", "update"] }, (ctx, input) =>
  saveCustomization({ db: ctx.db, orgId: ctx.org.id, actor: actor(ctx), input }),
);

export const deleteCustomizationAction = orgAction({ name: "customization.delete", schema: ZDeleteCustomization, permission: ["workflow", "update"] }, (ctx, input) =>
  deleteCustomization({ db: ctx.db, orgId: ctx.org.id, actor: actor(ctx), workflowId: input.workflowId, name: input.name }),
);
