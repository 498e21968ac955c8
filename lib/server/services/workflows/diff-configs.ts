import type { TRule } from "../../../schemas/rules";
import type { TWorkflowConfig } from "../../../schemas/workflow";

// "Who changed what": a short summary of the difference between two versions of a workflow
// config, for the History list. Names tables and columns only.

const tableId = (t: { schema: string; table: string }) => `${t.schema}.${t.table}`;
const ruleText = (r: TRule) => (r.rule === "fake" ? `fake ${r.kind.replace("_", " ")}` : r.rule.replace("_", " "));

function list(items: string[], max = 3): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} and ${items.length - max} more`;
}

export function summarizeChange(prev: TWorkflowConfig | null, next: TWorkflowConfig): string[] {
  if (!prev) {
    const rules = next.tables.reduce((a, t) => a + Object.keys(t.rules).length, 0);
    return [`Created with ${next.tables.length} ${next.tables.length === 1 ? "table" : "tables"} and ${rules} ${rules === 1 ? "rule" : "rules"}`];
  }
  const out: string[] = [];
  if (prev.sourceConnectionId !== next.sourceConnectionId) out.push("Changed the source connection");
  const before = new Map(prev.tables.map((t) => [tableId(t), t]));
  const after = new Map(next.tables.map((t) => [tableId(t), t]));
  const added = [...after.keys()].filter((k) => !before.has(k));
  const removed = [...before.keys()].filter((k) => !after.has(k));
  if (added.length) out.push(`Added ${list(added)}`);
  if (removed.length) out.push(`Removed ${list(removed)}`);
  const ruleChanges: string[] = [];
  const filterChanges: string[] = [];
  for (const [id, t] of after) {
    const p = before.get(id);
    if (!p) continue;
    const cols = new Set([...Object.keys(p.rules), ...Object.keys(t.rules)]);
    for (const c of cols) {
      const a = p.rules[c];
      const b = t.rules[c];
      if (!a && b) ruleChanges.push(`${t.table}.${c} → ${ruleText(b)}`);
      else if (a && !b) ruleChanges.push(`${t.table}.${c} no rule`);
      else if (a && b && JSON.stringify(a) !== JSON.stringify(b)) ruleChanges.push(`${t.table}.${c} ${ruleText(a) === ruleText(b) ? `${ruleText(b)} options` : `→ ${ruleText(b)}`}`);
    }
    if (JSON.stringify(p.filter) !== JSON.stringify(t.filter)) filterChanges.push(t.filter.kind === "all" ? `${t.table}: all rows` : `${t.table}: last ${t.filter.days} days`);
  }
  if (ruleChanges.length) out.push(`Rules: ${list(ruleChanges, 4)}`);
  if (filterChanges.length) out.push(`Rows: ${list(filterChanges)}`);
  if (JSON.stringify(prev.outputs) !== JSON.stringify(next.outputs)) out.push("Changed the outputs");
  const names = (c: TWorkflowConfig) => c.customizations.map((x) => x.name);
  if (JSON.stringify(prev.customizations) !== JSON.stringify(next.customizations)) {
    const addedC = names(next).filter((n) => !names(prev).includes(n));
    const removedC = names(prev).filter((n) => !names(next).includes(n));
    out.push(addedC.length ? `Added customization ${list(addedC)}` : removedC.length ? `Removed customization ${list(removedC)}` : "Changed a customization");
  }
  if (JSON.stringify(prev.options) !== JSON.stringify(next.options)) out.push("Changed the run options");
  return out.length ? out : ["No change to the configuration"];
}
