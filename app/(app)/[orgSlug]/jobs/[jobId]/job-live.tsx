"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { Alert } from "@/app/_components/alert";
import { Button } from "@/app/_components/button";
import { Card, CardHeader } from "@/app/_components/card";
import type { JobProgressView } from "@/lib/server/services/jobs/get-job-progress";
import { bytes, count } from "../_components/format";
import { JobStatusBadge } from "../_components/job-status-badge";
import { cancelRunAction, runAgainAction } from "../actions";

// The live part of a job page: status, per-table progress bars and the log, polled about once
// a second from GET /api/jobs/{id} until the job ends; then the server page re-renders with
// the report.

type Props = {
  orgSlug: string;
  jobId: string;
  initial: JobProgressView;
  canCancel: boolean;
  canRunAgain: boolean;
  showTables: boolean;
  kind: string;
  /** A connection job seen by a role that may not see connections: its status only. */
  detailsHidden?: boolean;
};

const PHASES: Record<string, string> = {
  introspecting: "Reading the source's tables",
  copying: "Copying and redacting",
  indexing: "Building indexes and keys",
  privacy_check: "Checking that no source value leaked",
  swapping: "Swapping the new copy into place",
  customizing: "Applying customizations",
  uploading: "Uploading to S3",
  done: "Finishing",
};

export function JobLive({ orgSlug, jobId, initial, canCancel, canRunAgain, showTables, kind, detailsHidden }: Props) {
  // A scan reports tables as it reaches them (no row counts): show them as scanning / scanned.
  const scan = kind === "PII_SCAN";
  const router = useRouter();
  const [view, setView] = useState(initial);
  const [logs, setLogs] = useState(initial.logs);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const lastLog = useRef(initial.logs.at(-1)?.id);
  const logBox = useRef<HTMLOListElement>(null);

  useEffect(() => {
    if (initial.done) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        const res = await fetch(`/api/jobs/${jobId}${lastLog.current ? `?after=${lastLog.current}` : ""}`, { cache: "no-store" });
        if (res.ok) {
          const next = (await res.json()) as JobProgressView;
          if (stopped) return;
          setView(next);
          if (next.logs.length) {
            lastLog.current = next.logs.at(-1)!.id;
            setLogs((prev) => [...prev, ...next.logs].slice(-500));
          }
          if (next.done) {
            router.refresh(); // the server renders the report
            return;
          }
        }
      } catch {
        // offline for a moment: try again at the next tick
      }
      if (!stopped) timer = setTimeout(poll, 1000);
    };
    timer = setTimeout(poll, 1000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId, initial.done, router]);

  useEffect(() => {
    const el = logBox.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [logs.length]);

  const act = (fn: () => Promise<{ ok: boolean; error?: { message: string }; data?: unknown }>, after?: (data: unknown) => void) =>
    start(async () => {
      setError(undefined);
      const res = await fn();
      if (!res.ok) setError(res.error?.message);
      else after?.(res.data);
    });

  const tables = view.progress?.tables ?? [];
  const phase = view.progress?.phase;
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title="Progress"
          description={
            <span className="flex flex-wrap items-center gap-2">
              <JobStatusBadge status={view.status} cancelRequested={view.cancelRequested} />
              {!view.done && phase && <span>{PHASES[phase] ?? phase}</span>}
              {view.status === "QUEUED" && <span>Waiting for a worker…</span>}
              {view.attempts > 1 && <span>Attempt {view.attempts} of {view.maxAttempts}</span>}
            </span>
          }
          actions={
            <div className="flex gap-2">
              {canCancel && !view.done && !view.cancelRequested && (
                <Button variant="secondary" size="sm" pending={pending} onClick={() => act(() => cancelRunAction(orgSlug, { jobId }), () => router.refresh())}>
                  Cancel run
                </Button>
              )}
              {canRunAgain && view.done && (
                <Button size="sm" pending={pending} onClick={() => act(() => runAgainAction(orgSlug, { jobId }), (d) => router.push(`/${orgSlug}/jobs/${(d as { jobId: string }).jobId}`))}>
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
        {showTables && (
          <ul className="divide-y divide-slate-100" aria-label="Tables">
            {tables.length === 0 && <li className="px-5 py-4 text-sm text-slate-500">{view.done ? "No table progress was recorded." : "Tables appear here when the run starts copying."}</li>}
            {tables.map((t) => {
              const total = t.rowsEstimate && t.rowsEstimate > 0 ? t.rowsEstimate : null;
              const finished = t.phase === "done" || t.phase === "indexing";
              const pct = finished ? 100 : total && !scan ? Math.min(99, Math.round((t.rowsDone / total) * 100)) : null;
              return (
                <li key={`${t.schema}.${t.table}`} className="px-5 py-3" data-testid="table-progress" data-table={`${t.schema}.${t.table}`} data-rows={t.rowsDone}>
                  <div className="flex items-baseline justify-between gap-4 text-sm">
                    <span className="font-medium text-slate-900">
                      {t.schema}.{t.table}
                    </span>
                    <span className="text-xs text-slate-500 tabular-nums">
                      {scan ? (
                        t.phase === "done" ? "Scanned" : "Scanning…"
                      ) : (
                        <>
                          {count(t.rowsDone)}
                          {total ? ` of ~${count(total)}` : ""} rows · {bytes(t.bytesDone)}
                          {t.phase === "indexing" ? " · indexing" : t.phase === "failed" ? " · failed" : ""}
                        </>
                      )}
                    </span>
                  </div>
                  <div
                    className="mt-1.5 h-2 overflow-hidden rounded-full bg-slate-100"
                    role="progressbar"
                    aria-label={`${t.table} progress`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={pct ?? undefined}
                  >
                    <div
                      className={`h-full rounded-full ${t.phase === "failed" ? "bg-red-500" : finished ? "bg-emerald-500" : "bg-brand-500"} ${pct === null && t.phase === "copying" ? "w-1/3 animate-pulse" : ""}`}
                      style={pct !== null ? { width: `${pct}%` } : undefined}
                    />
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <Card>
        <CardHeader title="Log" description="What the worker did, newest at the bottom." />
        {logs.length === 0 ? (
          <p className="px-5 py-4 text-sm text-slate-500" data-testid="log-empty">
            {detailsHidden ? "The log of a connection check is shown to admins only." : view.done ? "This run wrote no log lines." : "No log lines yet."}
          </p>
        ) : (
          <ol ref={logBox} className="max-h-72 overflow-y-auto px-5 py-3 font-mono text-xs leading-relaxed" aria-label="Log lines" tabIndex={0}>
            {logs.map((l) => (
              <li key={l.id} className={l.level === "error" ? "text-red-700" : l.level === "warn" ? "text-amber-800" : "text-slate-700"}>
                <span className="text-slate-400">{l.at.slice(11, 19)}</span> {l.message}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
