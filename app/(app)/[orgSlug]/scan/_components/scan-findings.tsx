import Link from "next/link";
import { Badge } from "@/app/_components/badge";
import { confidenceWords, describeFinding } from "@/lib/pii/describe-finding";
import type { TPiiScanResult } from "@/lib/pii/types";
import { addableSuggestions, scanCoverage, SUGGESTION_MIN_CONFIDENCE, type CoveredColumn } from "@/lib/pii/workflow-coverage";
import { describeRule } from "@/lib/redaction/describe-rule";
import type { SourceWorkflow } from "@/lib/server/services/scans/scan-result";
import { AddAllSuggestionsButton, AddToWorkflowButton } from "../scan-buttons";

// A scan's findings in words, with what each workflow of that source does with them (server
// component, for the scan page and a scan's results page). Examples are masked by the scanner.
// Buttons only for those who may change workflows (the server checks again); links only to pages
// the viewer may open.

const TONE = { "very likely": "red", likely: "amber", possibly: "gray" } as const;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export type FindingsAccess = { canAdd: boolean; canReadWorkflows: boolean; canCreateWorkflows: boolean };

export function ScanFindings({ orgSlug, jobId, result, workflows, access, limit }: { orgSlug: string; jobId: string; result: TPiiScanResult; workflows: SourceWorkflow[]; access: FindingsAccess; limit?: number }) {
  // Per workflow, every finding with the workflow's rule for it (same order for all).
  const coverage = new Map(workflows.map((w) => [w.id, scanCoverage(result, w.tables)]));
  const findings = scanCoverage(result, []).sort((a, b) => a.schema.localeCompare(b.schema) || a.table.localeCompare(b.table) || b.confidence - a.confidence);
  const shown = limit ? findings.slice(0, limit) : findings;
  const tables = [...new Set(shown.map((f) => `${f.schema}.${f.table}`))];
  const covOf = (w: SourceWorkflow, f: CoveredColumn) => coverage.get(w.id)!.find((c) => c.schema === f.schema && c.table === f.table && c.column === f.column)!;
  const workflowName = (w: SourceWorkflow) => (access.canReadWorkflows ? <Link href={`/${orgSlug}/workflows/${w.id}`} className="font-medium text-slate-900 hover:text-brand-700">{w.name}</Link> : <span className="font-medium text-slate-900">{w.name}</span>);

  if (!findings.length) return <p className="px-5 py-4 text-sm text-slate-600">No sampled column looked like personal data.</p>;
  return (
    <div>
      <div className="border-b border-slate-100 px-5 py-3 text-sm text-slate-600">
        {workflows.length === 0 ? (
          <p>
            No workflow copies from this connection yet
            {access.canCreateWorkflows ? (
              <>
                :{" "}
                <Link href={`/${orgSlug}/workflows/new`} className="font-medium text-brand-700 hover:underline">
                  create one
                </Link>{" "}
                to add these rules.
              </>
            ) : "."}
          </p>
        ) : (
          <ul className="space-y-2">
            {workflows.map((w) => {
              const cov = coverage.get(w.id)!;
              const copied = cov.filter((c) => c.tableSelected);
              const unchanged = copied.filter((c) => !c.rule);
              const addable = addableSuggestions(result, w.tables).length;
              return (
                <li key={w.id} className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2" data-testid="workflow-coverage" data-workflow={w.name} data-unchanged={unchanged.length}>
                  <p className="min-w-0">
                    {workflowName(w)}:{" "}
                    {copied.length === 0
                      ? "copies none of these tables"
                      : unchanged.length === 0
                        ? `has a rule for all ${copied.length} findings in the tables it copies`
                        : `copies ${unchanged.length} of ${copied.length} findings unchanged`}
                  </p>
                  {/* Rendered at 0 too: after "add all" the refreshed page has nothing left to add, and the button's message must survive it. */}
                  {access.canAdd && <AddAllSuggestionsButton orgSlug={orgSlug} jobId={jobId} workflow={{ id: w.id, name: w.name }} count={addable} />}
                </li>
              );
            })}
          </ul>
        )}
        {access.canAdd && workflows.length > 0 && findings.some((f) => f.confidence < SUGGESTION_MIN_CONFIDENCE || !f.suggestedRule) && (
          <p className="mt-2 text-xs text-slate-500">“Add all” leaves out weak hints (marked Possibly) and columns no rule fits: add those one by one, or choose a rule in the workflow editor.</p>
        )}
      </div>
      {tables.map((qualified) => (
        <section key={qualified} aria-label={`Findings in ${qualified}`}>
          <h3 className="bg-slate-50 px-5 py-2 text-xs font-semibold tracking-wide break-all text-slate-500 uppercase">{qualified}</h3>
          <ul className="divide-y divide-slate-100">
            {shown.filter((f) => `${f.schema}.${f.table}` === qualified).map((f) => {
              const words = confidenceWords(f.confidence);
              const open = workflows.filter((w) => { const c = covOf(w, f); return c.tableSelected && !c.rule; });
              return (
                <li key={f.column} className="grid gap-3 px-5 py-3 text-sm sm:grid-cols-[minmax(0,11rem)_minmax(0,1fr)_minmax(0,15rem)]" data-testid="finding" data-column={`${f.table}.${f.column}`} data-category={f.category}>
                  <div className="min-w-0">
                    <p className="font-medium break-all text-slate-900">{f.column}</p>
                    <p className="text-xs break-all text-slate-500">{f.dataType}</p>
                  </div>
                  <div className="min-w-0 space-y-1">
                    <p data-testid="finding-words">
                      <Badge tone={TONE[words]}>{capital(words)}</Badge> <span className="text-slate-800">{describeFinding(f)}</span>
                    </p>
                    {f.examples[0] && (
                      <p className="text-xs text-slate-500">
                        e.g. <code className="rounded bg-slate-100 px-1 font-mono break-all text-slate-700">{f.examples[0]}</code>
                      </p>
                    )}
                    <p className="text-xs text-slate-600" data-testid="suggestion">
                      {f.suggestedRule ? <>Suggested rule: <span className="font-medium text-slate-800">{describeRule(f.suggestedRule)}</span></> : "No rule fits this column's type: choose one in the workflow editor."}
                    </p>
                  </div>
                  <div className="min-w-0 space-y-1.5">
                    {workflows.map((w) => {
                      const c = covOf(w, f);
                      return (
                        <p key={w.id} className="text-xs break-words" data-testid="coverage" data-workflow={w.name} data-state={c.rule ? "covered" : c.tableSelected ? "unchanged" : "not-copied"}>
                          <span className="font-medium text-slate-700">{w.name}:</span>{" "}
                          {c.rule ? <Badge tone="green">{describeRule(c.rule)}</Badge> : c.tableSelected ? <Badge tone="amber">Copied unchanged</Badge> : <span className="text-slate-500">table not copied</span>}
                        </p>
                      );
                    })}
                    {access.canAdd && f.suggestedRule && open.length > 0 && (
                      <AddToWorkflowButton orgSlug={orgSlug} jobId={jobId} schema={f.schema} table={f.table} column={f.column} rule={describeRule(f.suggestedRule)} workflows={open.map((w) => ({ id: w.id, name: w.name }))} />
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      {shown.length < findings.length && (
        <p className="border-t border-slate-100 px-5 py-3 text-sm text-slate-600">
          And {findings.length - shown.length} more:{" "}
          <Link href={`/${orgSlug}/scan/${jobId}`} className="font-medium text-brand-700 hover:underline">
            see all findings
          </Link>
          .
        </p>
      )}
    </div>
  );
}
