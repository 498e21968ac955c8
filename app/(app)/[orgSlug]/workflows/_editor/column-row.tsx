"use client";

import { memo } from "react";
import { Badge } from "@/app/_components/badge";
import { controlClass } from "@/app/_components/field";
import { describeRule } from "@/lib/redaction/describe-rule";
import type { TRule } from "@/lib/schemas/rules";
import { ColumnPreview } from "./column-preview";
import { choiceOf, type EditorColumn, type KeyRole, type RuleInfo, ruleChoices, ruleFromChoice, type RuleSuggestion } from "./editor-types";
import { RuleOptions } from "./rule-options";

// One column of the open table, as one compact row: name and type, the rule picker ("Keep as is"
// and the rules that fit), the rule's options inline, the scanner's finding in words with
// accept / change, and the live preview below when opened.

export type ColumnRowProps = {
  qualified: string;
  column: EditorColumn;
  rule: TRule | undefined;
  keyRole: KeyRole;
  /** "customers.id" when the column takes a redacted key's rule. */
  follows: string | undefined;
  unreviewed: boolean;
  suggestion: RuleSuggestion | undefined;
  /** The rule came from the scanner and nobody has accepted or changed it yet. */
  suggested: boolean;
  error: string | undefined;
  readOnly: boolean;
  ruleInfo: RuleInfo;
  previewing: boolean;
  preview: { orgSlug: string; workflowId: string | undefined; connectionId: string; schema: string; table: string; canReveal: boolean };
  onRule(column: string, rule: TRule | null): void;
  onAccept(column: string): void;
  onPreview(column: string | null): void;
};

export const ColumnRow = memo(function ColumnRow(p: ColumnRowProps) {
  const { column: c, rule, suggestion, readOnly } = p;
  const choices = ruleChoices(c, p.keyRole, rule);
  const label = `Rule for ${p.qualified}.${c.name}`;
  const state = c.generated ? "generated" : p.unreviewed ? "unreviewed" : p.follows && !rule ? "follows" : p.suggested ? "suggested" : "reviewed";
  return (
    <li className={`px-4 py-2 ${p.unreviewed ? "bg-amber-50/60" : ""}`} data-testid="column-row" data-column={c.name} data-state={state}>
      <div className="grid items-start gap-x-4 gap-y-2 @2xl:grid-cols-[10rem_12rem_minmax(0,1fr)_auto]">
        <div className="min-w-0">
          <div className="truncate font-mono text-xs font-medium text-slate-900" title={c.name}>
            {c.name}
          </div>
          <div className="mt-0.5 flex flex-wrap items-center gap-1 text-xs text-slate-500">
            <span className="truncate">{c.typeName}</span>
            {p.keyRole.primary && <Badge tone="violet">key</Badge>}
            {c.unique && !p.keyRole.primary && <Badge>unique</Badge>}
            {p.keyRole.references && <Badge>→ {p.keyRole.references}</Badge>}
            {c.generated && <Badge>generated</Badge>}
          </div>
        </div>
        <div className="min-w-0">
          {c.generated ? (
            <p className="py-1.5 text-xs text-slate-500">Computed by the target from the other columns.</p>
          ) : p.follows && !rule ? (
            <p className="py-1.5 text-sm text-slate-700" data-testid="follows" aria-label={label}>
              follows {p.follows}
            </p>
          ) : (
            <select
              aria-label={label}
              className={`${controlClass} w-full py-1.5 ${p.error ? "ring-red-400" : p.unreviewed ? "ring-amber-400" : ""}`}
              value={choiceOf(rule)}
              disabled={readOnly}
              aria-invalid={p.error ? true : undefined}
              onChange={(e) => p.onRule(c.name, e.target.value ? ruleFromChoice(e.target.value, c, rule) : null)}
            >
              {!rule && <option value="">To review: choose…</option>}
              {choices.map((o) => (
                <option key={o.value} value={o.value} title={p.ruleInfo[o.value.split(":")[0] as keyof RuleInfo]?.description}>
                  {o.label}
                </option>
              ))}
            </select>
          )}
          {p.keyRole.references && p.keyRole.referencedSelected && !p.follows && !rule && (
            <p className="mt-1 text-xs text-slate-500">References {p.keyRole.references}: give that key a rule and this column follows it.</p>
          )}
          {p.error && (
            <p className="mt-1 text-xs text-red-700" role="alert">
              {p.error}
            </p>
          )}
        </div>
        <div className="min-w-0">{rule && <RuleOptions rule={rule} column={c} disabled={readOnly} onChange={(r) => p.onRule(c.name, r)} />}</div>
        <div className="@2xl:text-right">
          {rule && rule.rule !== "keep" && (
            <button
              type="button"
              className="rounded px-2 py-1 text-xs font-medium text-slate-600 hover:bg-slate-100"
              aria-expanded={p.previewing}
              aria-label={`${p.previewing ? "Hide preview" : "Preview"} of ${c.name}`}
              onClick={() => p.onPreview(p.previewing ? null : c.name)}
            >
              {p.previewing ? "Hide preview" : "Preview"}
            </button>
          )}
        </div>
      </div>
      {suggestion && (
        <p className="mt-1 text-xs text-slate-600 @2xl:ml-[11rem]" data-testid="finding">
          <span className="font-medium text-slate-800">Scanner:</span> {suggestion.words} ({suggestion.certainty})
          {suggestion.suggestedRule ? <>; suggests {describeRule(suggestion.suggestedRule)}</> : "; no rule fits its type, choose one"}
          {p.suggested && !readOnly && (
            <button type="button" className="ml-2 font-medium text-brand-700 hover:underline" onClick={() => p.onAccept(c.name)} aria-label={`Accept the suggestion for ${c.name}`}>
              Accept
            </button>
          )}
        </p>
      )}
      {rule && rule.rule !== "keep" && p.previewing && (
        <div className="mt-2">
          <ColumnPreview {...p.preview} column={c.name} rule={rule} />
        </div>
      )}
    </li>
  );
});
