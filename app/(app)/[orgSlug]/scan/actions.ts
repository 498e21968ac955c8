"use server";

import { orgAction } from "@/lib/server/tenancy/org-action";
import { addSuggestedRules, ZAddAllSuggestions, ZAddSuggestedRule } from "@/lib/server/services/scans/add-suggested-rules";
import { startScan, ZStartScan } from "@/lib/server/services/scans/start-scan";

export const startScanAction = orgAction({ name: "scan.start", schema: ZStartScan, permission: ["connection", "read"] }, (ctx, input) =>
  startScan({ db: ctx.db, orgId: ctx.org.id, userId: ctx.user.id, connectionId: input.connectionId }),
);

// "Add to workflow W": one finding's suggested rule (scan page, scan results).
export const addSuggestedRuleAction = orgAction({ name: "scan.addRule", schema: ZAddSuggestedRule, permission: ["workflow", "update"] }, (ctx, { jobId, workflowId, schema, table, column }) =>
  addSuggestedRules({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, input: { jobId, workflowId, only: { schema, table, column } } }),
);

// "Add all suggestions to W": every finding W copies without a rule, one version (scan page, drift banner).
export const addAllSuggestionsAction = orgAction({ name: "scan.addAllRules", schema: ZAddAllSuggestions, permission: ["workflow", "update"] }, (ctx, input) =>
  addSuggestedRules({ db: ctx.db, orgId: ctx.org.id, actor: ctx.actor, input }),
);
