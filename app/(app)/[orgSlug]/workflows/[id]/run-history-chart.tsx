import Link from "next/link";
import { Card, CardHeader } from "@/app/_components/card";
import { exactUtc } from "@/app/_components/dates";
import type { JobSummary } from "@/lib/server/services/jobs/job-summary";
import { count, duration } from "../../jobs/_components/format";

// Duration and rows copied of a workflow's last finished runs, oldest on the left, as two rows of
// bars in inline SVG (no chart library). Each bar links to its run; its title says the rest.
// Delta runs (only changes applied) are drawn as outlined bars, apart from full ones.

const W = 600;
const H = 64;
const FILL = { SUCCEEDED: "#10b981", FAILED: "#ef4444", CANCELED: "#f59e0b" } as Record<string, string>;

export function RunHistoryChart({ orgSlug, runs }: { orgSlug: string; runs: JobSummary[] }) {
  const finished = runs.filter((r) => r.durationMs !== null).reverse();
  if (finished.length < 2) return null;
  const maxMs = Math.max(...finished.map((r) => r.durationMs!), 1);
  const maxRows = Math.max(...finished.map((r) => r.rowsCopied ?? 0), 1);
  const slot = W / Math.max(finished.length, 12); // a few runs stay narrow bars on the left
  const bar = Math.max(2, Math.min(28, slot * 0.7));
  const hasDelta = finished.some((r) => r.deltaRun === "delta");
  const series = [
    { name: "Duration", value: (r: JobSummary) => r.durationMs! / maxMs, max: duration(maxMs) },
    { name: "Rows copied", value: (r: JobSummary) => (r.rowsCopied ?? 0) / maxRows, max: `${count(maxRows)} rows` },
  ];
  return (
    <Card>
      <CardHeader title="Run history" description={`The last ${finished.length} finished runs, oldest on the left. Red: failed, amber: canceled.${hasDelta ? " Outlined: delta runs." : ""}`} />
      <div className="space-y-4 px-5 py-4" data-testid="run-history-chart" data-runs={finished.length}>
        {series.map((s) => (
          <figure key={s.name}>
            <figcaption className="mb-1 flex justify-between text-xs text-slate-500">
              <span className="font-medium text-slate-700">{s.name}</span>
              <span>max {s.max}</span>
            </figcaption>
            <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" className="block h-16 w-full" role="img" aria-label={`${s.name} of the last ${finished.length} runs`}>
              <line x1={0} x2={W} y1={H - 0.5} y2={H - 0.5} stroke="#e2e8f0" />
              {finished.map((r, i) => {
                const h = Math.max(2, s.value(r) * (H - 4));
                const delta = r.deltaRun === "delta";
                const fill = FILL[r.status] ?? "#94a3b8";
                return (
                  <Link key={r.id} href={`/${orgSlug}/jobs/${r.id}`}>
                    <rect x={i * slot + (slot - bar) / 2} y={H - h} width={bar} height={h} rx={2} fill={fill} fillOpacity={delta ? 0.25 : 1} stroke={delta ? fill : undefined} strokeWidth={delta ? 1.5 : undefined} vectorEffect="non-scaling-stroke" data-testid="run-history-bar" data-status={r.status} data-run={r.deltaRun ?? undefined}>
                      <title>{`${r.status === "SUCCEEDED" ? "Succeeded" : r.status === "FAILED" ? "Failed" : "Canceled"}${r.deltaRun ? ` · ${r.deltaRun === "delta" ? "Delta run" : "Full run"}` : ""} · ${duration(r.durationMs)} · ${r.rowsCopied !== null ? `${count(r.rowsCopied)} rows` : "no rows kept"} · ${exactUtc(r.finishedAt ?? r.createdAt)}`}</title>
                    </rect>
                  </Link>
                );
              })}
            </svg>
          </figure>
        ))}
        {finished.some((r) => r.deltaRun) && (
          <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-slate-600" data-testid="run-history-legend">
            <span className="flex items-center gap-1.5"><span className="inline-block size-3 rounded-sm bg-emerald-500" aria-hidden /> Full run</span>
            <span className="flex items-center gap-1.5"><span className="inline-block size-3 rounded-sm bg-emerald-500/25 ring-[1.5px] ring-inset ring-emerald-500" aria-hidden /> Delta run (only changes applied)</span>
          </p>
        )}
      </div>
    </Card>
  );
}
