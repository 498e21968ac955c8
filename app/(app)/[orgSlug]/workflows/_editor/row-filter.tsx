"use client";

import { controlClass } from "@/app/_components/field";
import type { EditorColumn, Filter } from "./editor-types";

// Which rows of a table a run copies: all, or those created or changed in the last N days by
// one or more of its date/timestamp columns.

export function RowFilter({ label, filter, timeColumns, readOnly, onChange }: { label: string; filter: Filter; timeColumns: EditorColumn[]; readOnly: boolean; onChange(f: Filter): void }) {
  return (
    <div className="flex flex-wrap items-center gap-x-5 gap-y-2 border-b border-slate-100 px-4 py-2.5 text-sm">
      <span className="font-medium text-slate-700">Rows</span>
      <label className="flex items-center gap-1.5">
        <input type="radio" name={`rows-${label}`} checked={filter.kind === "all"} disabled={readOnly} onChange={() => onChange({ kind: "all" })} />
        All rows
      </label>
      <label className={`flex items-center gap-1.5 ${timeColumns.length ? "" : "text-slate-400"}`}>
        <input
          type="radio"
          name={`rows-${label}`}
          checked={filter.kind === "window"}
          disabled={readOnly || timeColumns.length === 0}
          onChange={() => onChange({ kind: "window", columns: [timeColumns[0]!.name], days: 30 })}
        />
        Only recent rows{timeColumns.length === 0 && " (no date or timestamp columns)"}
      </label>
      {filter.kind === "window" && (
        <span className="flex flex-wrap items-center gap-2">
          created or changed in the last
          <input
            type="number"
            min={1}
            max={36500}
            aria-label={`Days of ${label} to copy`}
            className={`${controlClass} w-20 py-1`}
            value={filter.days}
            disabled={readOnly}
            onChange={(e) => onChange({ ...filter, days: Number(e.target.value) || 0 })}
          />
          days, by
          {timeColumns.map((c) => (
            <label key={c.name} className="flex items-center gap-1 font-mono text-xs">
              <input
                type="checkbox"
                checked={filter.columns.includes(c.name)}
                disabled={readOnly}
                onChange={(e) => onChange({ ...filter, columns: e.target.checked ? [...filter.columns, c.name] : filter.columns.filter((x) => x !== c.name) })}
              />
              {c.name}
            </label>
          ))}
        </span>
      )}
    </div>
  );
}
