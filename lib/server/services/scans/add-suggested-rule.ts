import { z } from "zod";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../actor";
import { reviseWorkflowConfig } from "../customizations/workflow-config";
import { getScanResult } from "./scan-result";
import { findScanColumn, withRule } from "../../../pii/workflow-coverage";

// One click on the scan results: the rule the scanner suggested for a column becomes that
// column's rule in the chosen workflow (a new version). The rule is taken from the stored scan
// on the server, never from the browser.

export const ZAddSuggestedRule = z.object({
  jobId: z.uuid(),
  workflowId: z.uuid(),
  schema: z.string().min(1).max(252),
  table: z.string().min(1).max(252),
  column: z.string().min(1).max(252),
});
export type TAddSuggestedRule = z.infer<typeof ZAddSuggestedRule>;

export async function addSuggestedRule({ db = prisma, orgId, actor, input }: { db?: Db; orgId: string; actor: OrgActor; input: TAddSuggestedRule }) {
  const scan = await getScanResult({ db, orgId, jobId: input.jobId });
  const col = scan.result ? findScanColumn(scan.result, input) : null;
  if (!col) throw notFound("That column in the scan");
  const rule = col.suggestedRule;
  if (!rule) throw new AppError("CONFLICT", `No rule fits ${input.table}.${input.column}; choose one in the workflow editor.`);
  const { version } = await reviseWorkflowConfig({
    db, orgId, workflowId: input.workflowId, actor,
    audit: { action: "workflow.rule_added", target: `${input.schema}.${input.table}.${input.column}`, details: { workflowId: input.workflowId, rule: rule.rule, from: "pii_scan" } },
    change: (config) => {
      if (config.sourceConnectionId !== scan.connectionId) throw new AppError("CONFLICT", "That workflow copies from another connection than the one scanned.");
      const t = config.tables.find((x) => x.schema === input.schema && x.table === input.table);
      if (t?.rules[input.column]) throw new AppError("CONFLICT", `${input.table}.${input.column} already has a rule in that workflow.`);
      // A table the workflow does not copy yet is added (all rows) with the rule.
      return { ...config, tables: withRule(config.tables, input, rule) };
    },
  });
  return { version, rule: rule.rule };
}
