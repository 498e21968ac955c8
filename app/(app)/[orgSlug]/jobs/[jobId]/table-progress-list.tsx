import type { TableProgress } from "@/lib/pipeline/types";
import { bytes, count } from "../_components/format";
import { TABLE_PHASE_LABELS } from "../_components/run-words";

// One bar per table: its phase in words, rows (of the estimate), and the rate while it copies.
// On a run that did not succeed no bar turns green: the tables it copied were not kept, and the
// table it failed on is red.

type Props = { tables: TableProgress[]; rates: Record<string, number>; status: string; scan: boolean; done: boolean };

const PHASE_TONES: Record<string, string> = {
  queued: "bg-slate-100 text-slate-600",
  copying: "bg-blue-50 text-blue-700",
  indexing: "bg-violet-50 text-violet-700",
  done: "bg-emerald-50 text-emerald-700",
  failed: "bg-red-50 text-red-700",
};

export function TableProgressList({ tables, rates, status, scan, done }: Props) {
  const stopped = status === "FAILED" || status === "CANCELED";
  if (tables.length === 0) {
    return <p className="px-5 py-4 text-sm text-slate-500">{done ? "No table progress was recorded." : "Tables appear here when the run starts copying."}</p>;
  }
  return (
    <ul className="divide-y divide-slate-100" aria-label="Tables">
      {tables.map((t) => {
        const key = `${t.schema}.${t.table}`;
        const total = t.rowsEstimate && t.rowsEstimate > 0 ? t.rowsEstimate : null;
        const finished = t.phase === "done" || t.phase === "indexing";
        const pct = finished || t.phase === "failed" ? 100 : total && !scan ? Math.min(99, Math.round((t.rowsDone / total) * 100)) : t.phase === "queued" ? 0 : null;
        const phase = scan ? (t.phase === "done" ? "Scanned" : "Scanning") : stopped && t.phase !== "failed" ? (finished ? "Not kept" : "Stopped") : (TABLE_PHASE_LABELS[t.phase] ?? t.phase);
        const tone = t.phase === "failed" ? "bg-red-500" : stopped ? "bg-slate-300" : t.phase === "done" ? "bg-emerald-500" : t.phase === "indexing" ? "bg-violet-500" : "bg-brand-500";
        const rate = !done && t.phase === "copying" ? rates[key] : undefined;
        return (
          <li key={key} className="px-5 py-3" data-testid="table-progress" data-table={key} data-rows={t.rowsDone} data-phase={t.phase}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 text-sm">
              <span className="flex min-w-0 items-center gap-2">
                <span className="truncate font-medium text-slate-900">{key}</span>
                <span className={`shrink-0 rounded px-1.5 py-0.5 text-xs font-medium ${stopped && t.phase !== "failed" ? "bg-slate-100 text-slate-600" : PHASE_TONES[t.phase] ?? ""}`} data-testid="table-phase">
                  {phase}
                </span>
              </span>
              {!scan && (
                <span className="text-xs text-slate-500 tabular-nums">
                  {count(t.rowsDone)}
                  {total && !finished ? ` of ~${count(total)}` : ""} rows · {bytes(t.bytesDone)}
                  {rate ? <span data-testid="table-rate"> · {count(Math.round(rate))} rows/s</span> : null}
                </span>
              )}
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
                className={`h-full rounded-full ${tone} ${pct === null && t.phase === "copying" ? "w-1/3 animate-pulse" : ""}`}
                style={pct !== null ? { width: `${pct}%` } : undefined}
                data-testid="table-bar"
                data-tone={t.phase === "failed" ? "failed" : stopped ? "stopped" : t.phase === "done" ? "done" : "active"}
              />
            </div>
          </li>
        );
      })}
    </ul>
  );
}
