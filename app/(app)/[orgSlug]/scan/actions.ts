"use server";

import { orgAction } from "@/lib/server/org-action";
import { addSuggestedRule, ZAddSuggestedRule } from "@/lib/server/services/scans/add-suggested-rule";
import { startScan, ZStartScan } from "@/lib/server/services/scans/start-scan";

export const startScanAction = orgAction({ name: "scan.start", schema: ZStartScan, permission: ["connection", "read"] }, (ctx, input) =>
  startScan({ db: ctx.db, orgId: ctx.org.id, userId: ctx.user.id, connectionId: input.connectionId }),
);

export const addSuggestedRuleAction = orgAction({ name: "scan.addRule", schema: ZAddSuggestedRule, permission: ["workflow", "update"] }, (ctx, input) =>
  addSuggestedRule({ db: ctx.db, orgId: ctx.org.id, actor: { userId: ctx.user.id, label: ctx.user.email, role: ctx.role }, input }),
);
