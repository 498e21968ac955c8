"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { usePoll } from "@/app/_components/use-poll";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { Card, CardHeader } from "@/app/_components/card";
import { useAction } from "@/app/_components/use-action";
import type { JobProgressView } from "@/lib/server/services/jobs/get-job-progress";
import { count } from "../_components/format";
import { JobStatusBadge } from "../_components/job-status-badge";
import { PHASE_NOW } from "../_components/run-words";
import { cancelRunAction, runAgainAction } from "../actions";
import { TableProgressList } from "./table-progress-list";

// The live part of a job page: while the run is queued or running, a header saying what it is
// doing now; per-table bars with phase and rate; and, collapsed under "Details", the engine's
// facts (attempts, worker, error code) and the log. Polled about once a second from
// GET /api/jobs/{id} (usePoll) until the job ends; then the server page re-renders with the outcome.

type Props = {
  orgSlug: string;
  jobId: string;
  initial: JobProgressView;
  canCancel: boolean;
  canRunAgain: boolean;
  showTables: boolean;
  kind: string;
  /** Facts for the collapsed Details (worker, error code...), besides the attempts. */
  facts: { label: string; value: string }[];
  /** A connection job seen by a role that may not see connections: its status only. */
  detailsHidden?: boolean;
};

type Sample = { rows: number; at: number };

/** Rows per second per table between two polls (kept while a table's rows stand still between two progress writes). */
function nextRates(prev: Map<string, Sample>, rates: Record<string, number>, view: JobProgressView): Record<string, number> {
  const at = view.progress?.updatedAt ? Date.parse(view.progress.updatedAt) : NaN;
  if (!Number.isFinite(at)) return rates;
  const out: Record<string, number> = {};
  for (const t of view.progress?.tables ?? []) {
    const key = `${t.schema}.${t.table}`;
    const before = prev.get(key);
    if (before && at > before.at && t.rowsDone > before.rows) out[key] = ((t.rowsDone - before.rows) * 1000) / (at - before.at);
    else if (rates[key] && before?.at === at) out[key] = rates[key];
    if (!before || at > before.at) prev.set(key, { rows: t.rowsDone, at });
  }
  return out;
}

export function JobLive({ orgSlug, jobId, initial, canCancel, canRunAgain, showTables, kind, facts, detailsHidden }: Props) {
  // A scan reports tables as it reaches them (no row counts): show them as scanning / scanned.
  const scan = kind === "PII_SCAN";
  const router = useRouter();
  const [view, setView] = useState(initial);
  const [logs, setLogs] = useState(initial.logs);
  const [rates, setRates] = useState<Record<string, number>>({});
  const { run, pending, error } = useAction();
  const lastLog = useRef(initial.logs.at(-1)?.id);
  const samples = useRef(new Map<string, Sample>());
  const logBox = useRef<HTMLOListElement>(null);

  usePoll(initial.done ? null : `/api/jobs/${jobId}`, {
    query: () => (lastLog.current ? `?after=${lastLog.current}` : ""),
    onResponse: async (res) => {
      if (!res.ok) return; // asked again at the next tick
      const next = (await res.json()) as JobProgressView;
      setView(next);
      setRates((r) => nextRates(samples.current, r, next));
      if (next.logs.length) {
        lastLog.current = next.logs.at(-1)!.id;
        setLogs((prev) => [...prev, ...next.logs].slice(-500));
      }
      if (next.done) {
        router.refresh(); // the server renders the outcome and the report
        return "stop";
      }
    },
  });

  useEffect(() => {
    const el = logBox.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [logs.length]);


  const tables = view.progress?.tables ?? [];
  const phase = view.progress?.phase;
  const doneTables = tables.filter((t) => t.phase === "done").length;
  const current = tables.find((t) => t.phase === "copying") ?? tables.find((t) => t.phase === "indexing");
  const details = [{ label: "Attempt", value: `${view.attempts} of ${view.maxAttempts}` }, ...facts];
  return (
    <div className="space-y-6">
      {!view.done && (
        <section className="rounded-lg bg-white px-5 py-4 shadow-sm ring-1 ring-slate-200" data-testid="run-now" aria-live="polite">
          <p className="text-base font-semibold text-slate-900">
            {view.status === "QUEUED"
              ? "Queued: waiting for a worker"
              : view.cancelRequested
                ? "Canceling: the run stops at its next step"
                : `${phase ? (PHASE_NOW[phase] ?? phase) : "Starting"}${phase === "copying" && current ? `: ${current.schema}.${current.table}` : ""}`}
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {view.status === "QUEUED"
              ? "It starts as soon as a worker is free; nothing has been read yet."
              : tables.length && !scan
                ? `${doneTables} of ${tables.length} tables done · ${count(tables.reduce((n, t) => n + t.rowsDone, 0))} rows so far. The previous copy stays in use until the new one is complete.`
                : "This page updates by itself."}
          </p>
        </section>
      )}
      <Card>
        <CardHeader
          title={scan ? "Tables scanned" : "Progress"}
          description={
            <span className="flex flex-wrap items-center gap-2">
              <JobStatusBadge status={view.status} cancelRequested={view.cancelRequested} />
            </span>
          }
          actions={
            <div className="flex gap-2">
              {canCancel && !view.done && !view.cancelRequested && (
                <Button variant="secondary" size="sm" pending={pending} onClick={() => run(() => cancelRunAction(orgSlug, { jobId }), { success: "Cancel requested: the run stops at its next step." })}>
                  Cancel run
                </Button>
              )}
              {canRunAgain && view.done && (
                <Button size="sm" pending={pending} onClick={() => run(() => runAgainAction(orgSlug, { jobId }), { success: "Run queued.", then: (d) => router.push(`/${orgSlug}/jobs/${d.jobId}`) })}>
                  Run again
                </Button>
              )}
            </div>
          }
        />
        {error && (
          <div className="px-5 pt-4">
            <Alert tone="error">{error}</Alert>
          </div>
        )}
        {showTables && <TableProgressList tables={tables} rates={rates} status={view.status} scan={scan} done={view.done} />}
      </Card>
      <details className="group rounded-lg bg-white shadow-sm ring-1 ring-slate-200" data-testid="run-details">
        <summary className="cursor-pointer list-none px-5 py-3 text-sm font-medium text-slate-700 select-none hover:text-slate-900">
          <span className="inline-block transition-transform group-open:rotate-90" aria-hidden>
            ›
          </span>{" "}
          Details: attempts, worker and log
        </summary>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 border-t border-slate-200 px-5 py-3 text-xs">
          {details.map((f) => (
            <div key={f.label} className="contents">
              <dt className="text-slate-500">{f.label}</dt>
              <dd className="font-mono break-all text-slate-800">{f.value}</dd>
            </div>
          ))}
        </dl>
        {logs.length === 0 ? (
          <p className="border-t border-slate-200 px-5 py-3 text-sm text-slate-500" data-testid="log-empty">
            {detailsHidden ? "The log of a connection check is shown to admins only." : view.done ? "This run wrote no log lines." : "No log lines yet."}
          </p>
        ) : (
          <ol ref={logBox} className="max-h-72 overflow-y-auto border-t border-slate-200 px-5 py-3 font-mono text-xs leading-relaxed break-words" aria-label="Log lines" tabIndex={0}>
            {logs.map((l) => (
              <li key={l.id} className={l.level === "error" ? "text-red-700" : l.level === "warn" ? "text-amber-800" : "text-slate-700"}>
                <span className="text-slate-400" title={`${l.at.slice(0, 19).replace("T", " ")} UTC`}>
                  {l.at.slice(11, 19)}
                </span>{" "}
                {l.message}
              </li>
            ))}
          </ol>
        )}
      </details>
    </div>
  );
}
