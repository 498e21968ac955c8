"use client";

import { useEffect, useState, useTransition } from "react";
import { Button } from "@/app/_components/button";
import type { TRule } from "@/lib/schemas/rules";
import type { ColumnPreview as Preview } from "@/lib/server/services/workflows/preview-column";
import { previewColumnAction, revealPreviewAction } from "../actions";

// A few real values of the column, before -> after the rule. Originals arrive masked; an admin
// may reveal them with an explicit click (the server refuses other roles). Admins preview the
// rule as edited; other roles the rule saved in the workflow (the server looks it up), and an
// "after" that would give the original away arrives withheld.

export function ColumnPreview(props: {
  orgSlug: string;
  workflowId: string | undefined;
  connectionId: string;
  schema: string;
  table: string;
  column: string;
  rule: TRule;
  canReveal: boolean;
}) {
  const { orgSlug, workflowId, connectionId, schema, table, column, rule, canReveal } = props;
  const [preview, setPreview] = useState<Preview>();
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const ruleKey = JSON.stringify(rule);

  useEffect(() => {
    const t = setTimeout(() => {
      start(async () => {
        const edited = canReveal ? { rule: JSON.parse(ruleKey) as TRule } : {};
        const res = await previewColumnAction(orgSlug, { workflowId, connectionId, schema, table, column, ...edited });
        if (res.ok) {
          setPreview(res.data);
          setError(undefined);
        } else setError(res.error.message);
      });
    }, 300);
    return () => clearTimeout(t);
  }, [orgSlug, workflowId, connectionId, schema, table, column, ruleKey, canReveal]);

  const reveal = () =>
    start(async () => {
      const res = await revealPreviewAction(orgSlug, { workflowId, connectionId, schema, table, column, rule });
      if (res.ok) setPreview(res.data);
      else setError(res.error.message);
    });

  return (
    <div className="rounded-md bg-slate-50 p-3 ring-1 ring-slate-200 ring-inset" data-testid="column-preview" aria-live="polite" aria-busy={pending}>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
          Preview: {column} {preview?.revealed ? "(originals shown)" : "(originals masked)"}
        </p>
        {canReveal && preview && !preview.revealed && preview.rows.length > 0 && (
          <Button type="button" size="sm" variant="ghost" onClick={reveal} disabled={pending}>
            Reveal originals
          </Button>
        )}
      </div>
      {error ? (
        <p className="text-sm text-red-700" role="alert">
          {error}
        </p>
      ) : !preview ? (
        <p className="text-sm text-slate-500">Reading a few rows from the source…</p>
      ) : preview.note ? (
        <p className="text-sm text-slate-500">{preview.note}</p>
      ) : (
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-xs text-slate-500">
              <th className="w-1/2 pb-1 font-medium">Before</th>
              <th className="pb-1 font-medium">After</th>
            </tr>
          </thead>
          <tbody className="font-mono text-xs">
            {preview.rows.map((r, i) => (
              <tr key={i} data-testid="preview-row" className="border-t border-slate-200">
                <td className="py-1 pr-3 break-all text-slate-600" data-testid="preview-before">
                  {r.before}
                </td>
                <td className="py-1 break-all text-slate-900" data-testid="preview-after">
                  {r.withheld ? (
                    <span className="font-sans text-amber-800" data-testid="preview-withheld">
                      Hidden: too close to the original. Ask an admin to check this rule.
                    </span>
                  ) : r.after === null ? (
                    <span className="text-slate-400">NULL</span>
                  ) : (
                    r.after
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
