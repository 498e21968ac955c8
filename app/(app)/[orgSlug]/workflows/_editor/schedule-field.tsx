"use client";

import { useMemo, useState } from "react";
import { controlClass } from "@/app/_components/field";
import { RelativeTime } from "@/app/_components/relative-time";
import { nextRuns, validateCron } from "@/lib/jobs/schedule";
import { describeCron, SCHEDULE_PRESETS } from "./schedule-text";

// Schedule: presets or a cron expression (UTC), checked as you type, with the next three runs
// in the app's one date format (relative, the exact UTC time on hover).

export type ScheduleValue = { enabled: boolean; cron: string };

export function ScheduleField({ value, onChange, disabled, error }: { value: ScheduleValue; onChange(v: ScheduleValue): void; disabled: boolean; error?: string }) {
  const presetId = SCHEDULE_PRESETS.find((p) => p.cron === value.cron)?.id ?? (value.cron ? "custom" : "nightly");
  const [mode, setMode] = useState<string>(presetId);
  const check = useMemo(() => (value.cron.trim() ? validateCron(value.cron) : null), [value.cron]);
  const runs = useMemo(() => (check?.ok ? nextRuns(check.cron, 3) : []), [check]);
  const shown = error ?? (check && !check.ok ? check.message : undefined);

  return (
    <div className="space-y-4">
      <label className="flex items-center gap-2 text-sm font-medium text-slate-800">
        <input type="checkbox" className="size-4" checked={value.enabled} disabled={disabled} onChange={(e) => onChange({ enabled: e.target.checked, cron: value.cron || SCHEDULE_PRESETS[1].cron })} />
        Run on a schedule
      </label>
      <fieldset className="space-y-3" disabled={disabled || !value.enabled}>
        <legend className="sr-only">How often</legend>
        <div className="flex flex-wrap gap-2" role="radiogroup" aria-label="How often">
          {[...SCHEDULE_PRESETS.map((p) => ({ id: p.id, label: p.label })), { id: "custom", label: "Cron expression" }].map((o) => (
            <label key={o.id} className={`flex cursor-pointer items-center gap-2 rounded-md px-3 py-1.5 text-sm ring-1 ring-inset has-focus-visible:ring-2 has-focus-visible:ring-brand-500 ${mode === o.id && value.enabled ? "bg-brand-50 text-brand-700 ring-brand-300" : "ring-slate-300"} ${!value.enabled ? "opacity-60" : ""}`}>
              <input
                type="radio"
                name="schedule-mode"
                className="sr-only"
                checked={mode === o.id}
                onChange={() => {
                  setMode(o.id);
                  const preset = SCHEDULE_PRESETS.find((p) => p.id === o.id);
                  if (preset) onChange({ ...value, cron: preset.cron });
                }}
              />
              {o.label}
            </label>
          ))}
        </div>
        {mode === "custom" && (
          <div className="max-w-sm space-y-1.5">
            <label htmlFor="cron" className="block text-sm font-medium text-slate-800">
              Cron expression (UTC)
            </label>
            <input
              id="cron"
              className={`${controlClass} font-mono ${shown ? "ring-red-400" : ""}`}
              value={value.cron}
              placeholder="0 3 * * *"
              aria-invalid={shown ? true : undefined}
              aria-describedby="cron-help"
              onChange={(e) => onChange({ ...value, cron: e.target.value })}
            />
            <p id="cron-help" className="text-xs text-slate-500">
              minute hour day-of-month month day-of-week, e.g. <code>*/30 * * * *</code> every 30 minutes.
            </p>
          </div>
        )}
        {shown && value.enabled && (
          <p className="text-sm text-red-700" role="alert" data-field="cron">
            {shown}
          </p>
        )}
        {value.enabled && runs.length > 0 && (
          <div className="text-sm" data-testid="next-runs">
            <p className="font-medium text-slate-700">{check?.ok ? describeCron(check.cron) : ""}. Next runs:</p>
            <ul className="mt-1 space-y-0.5 text-slate-600">
              {runs.map((d) => (
                <li key={d.getTime()}>
                  <RelativeTime date={d} />
                </li>
              ))}
            </ul>
          </div>
        )}
      </fieldset>
    </div>
  );
}
