import { z } from "zod";
import { describeRule } from "../../../redaction/describe-rule";
import type { TRule } from "../../../schemas/rules";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";
import { reviseWorkflowConfig } from "../customizations/workflow-config";
import type { CreateWorkflowVersionOptions } from "../workflows/create-workflow-version";
import { getScanResult } from "./scan-result";
import { findScanColumn, SUGGESTION_MIN_CONFIDENCE, uncoveredColumns, withRule, type ColumnRef, type ScanColumn } from "../../../pii/workflow-coverage";

// The scanner's suggestions become a workflow's rules, as ONE new version (through
// reviseWorkflowConfig -> createWorkflowVersion, the single write path): either one finding
// ("add to workflow W") or every finding W copies without a rule ("add all suggestions to W",
// the scan page and the workflow's drift banner). Rules are taken from the stored scan on the
// server, never from the browser; the list of uncovered findings is computed on the version the
// change is applied to, so a concurrent save cannot be overwritten (the save is conditional on it).

const ZName = z.string().min(1).max(252);
const ZScanAndWorkflow = z.object({ jobId: z.uuid(), workflowId: z.uuid() });
/** "add to workflow W": one finding. */
export const ZAddSuggestedRule = ZScanAndWorkflow.extend({ schema: ZName, table: ZName, column: ZName });
/** "add all suggestions to W". */
export const ZAddAllSuggestions = ZScanAndWorkflow;

type AuditOf = CreateWorkflowVersionOptions["audit"];

export type AddedRule = ColumnRef & { rule: TRule; description: string };
export type AddSuggestedRulesResult = {
  version: number;
  added: AddedRule[];
  /** Uncovered findings left out of "add all" because no rule fits their column: the editor decides. */
  skipped: (ColumnRef & { reason: string })[];
};

export async function addSuggestedRules({ db = prisma, orgId, actor, input }: {
  db?: Db;
  orgId: string;
  actor: OrgActor;
  /** `only`: one finding; without it, every uncovered finding of the tables the workflow copies. */
  input: { jobId: string; workflowId: string; only?: ColumnRef };
}): Promise<AddSuggestedRulesResult> {
  const { jobId, workflowId, only } = input;
  const scan = await getScanResult({ db, orgId, jobId });
  if (!scan.result) throw notFound("That scan's results");
  const found = scan.result;
  const single = only ? findScanColumn(found, only) : null;
  if (only && !single) throw notFound("That column in the scan");
  if (single && !single.suggestedRule) throw new AppError("CONFLICT", `No rule fits ${single.table}.${single.column}; choose one in the workflow editor.`);

  let added: AddedRule[] = [];
  let skipped: AddSuggestedRulesResult["skipped"] = [];
  const { version } = await reviseWorkflowConfig({
    db, orgId, workflowId, actor,
    audit: (wf): AuditOf => only
      ? { action: "workflow.rule_added", target: `${only.schema}.${only.table}.${only.column}`, details: { workflowId, rule: added[0]!.rule.rule, from: "pii_scan" } }
      : { action: "workflow.rules_added", target: wf.name, details: { workflowId, jobId, count: added.length, columns: columnList(added), from: "pii_scan" } },
    change: (config) => {
      if (config.sourceConnectionId !== scan.connectionId) throw new AppError("CONFLICT", "That workflow copies from another connection than the one scanned.");
      let picked: ScanColumn[];
      if (single) {
        const t = config.tables.find((x) => x.schema === single.schema && x.table === single.table);
        if (t?.rules[single.column]) throw new AppError("CONFLICT", `${single.table}.${single.column} already has a rule in that workflow (${describeRule(t.rules[single.column]!)}); change it in the workflow editor.`);
        picked = [single];
      } else {
        const open = uncoveredColumns(found, config.tables, SUGGESTION_MIN_CONFIDENCE);
        skipped = open.filter((c) => !c.suggestedRule).map((c) => ({ schema: c.schema, table: c.table, column: c.column, reason: "no rule fits its type; choose one in the workflow editor" }));
        picked = open.filter((c) => c.suggestedRule);
        if (!picked.length) throw new AppError("CONFLICT", "That workflow already has a rule for every finding of this scan in the tables it copies.");
      }
      added = picked.map((c) => ({ schema: c.schema, table: c.table, column: c.column, rule: c.suggestedRule!, description: describeRule(c.suggestedRule!) }));
      // One finding in a table the workflow does not copy yet adds the table (all rows); "add all"
      // stays within the tables it copies (uncoveredColumns).
      return { ...config, tables: added.reduce((tables, a) => withRule(tables, a, a.rule), config.tables) };
    },
  });
  return { version, added, skipped };
}

/** "public.customers.email: Fake email, …" for the audit entry (names and rules, never values), bounded. */
function columnList(added: AddedRule[]): string {
  const text = added.map((a) => `${a.schema}.${a.table}.${a.column}: ${a.description}`).join(", ");
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}
