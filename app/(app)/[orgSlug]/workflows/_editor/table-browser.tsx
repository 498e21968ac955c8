"use client";

import { useMemo, useState } from "react";
import { controlClass } from "@/app/_components/field";
import { type EditorCatalog, formatBytes, formatRows, tableId } from "./editor-types";

// The source's tables by schema, with a search box and "select all in schema".

export function TableBrowser({ catalog, selected, onToggle, disabled }: { catalog: EditorCatalog; selected: Set<string>; onToggle(ids: string[], on: boolean): void; disabled: boolean }) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const map = new Map<string, EditorCatalog["tables"]>();
    for (const t of catalog.tables) {
      if (q && !tableId(t).toLowerCase().includes(q)) continue;
      if (!map.has(t.schema)) map.set(t.schema, []);
      map.get(t.schema)!.push(t);
    }
    return [...map.entries()];
  }, [catalog, query]);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <input type="search" aria-label="Search tables" placeholder="Search tables…" className={`${controlClass} max-w-xs`} value={query} onChange={(e) => setQuery(e.target.value)} />
        <p className="text-sm text-slate-500">
          {selected.size} of {catalog.tables.length} tables selected
        </p>
      </div>
      <div className="max-h-96 overflow-y-auto rounded-md ring-1 ring-slate-200" data-testid="table-browser">
        {groups.length === 0 && <p className="px-4 py-6 text-center text-sm text-slate-500">{catalog.tables.length ? "No table matches the search." : "The source has no tables."}</p>}
        {groups.map(([schema, tables]) => {
          const ids = tables.map(tableId);
          const all = ids.every((id) => selected.has(id));
          return (
            <div key={schema}>
              <div className="sticky top-0 flex items-center justify-between bg-slate-50 px-4 py-2 text-xs font-semibold tracking-wide text-slate-500 uppercase ring-1 ring-slate-200">
                <span>Schema {schema}</span>
                <label className="flex items-center gap-1.5 font-medium normal-case">
                  <input type="checkbox" checked={all} disabled={disabled} onChange={(e) => onToggle(ids, e.target.checked)} />
                  Select all in {schema}
                </label>
              </div>
              <ul className="divide-y divide-slate-100">
                {tables.map((t) => {
                  const id = tableId(t);
                  return (
                    <li key={id}>
                      <label className="flex cursor-pointer items-center justify-between gap-3 px-4 py-2 text-sm hover:bg-slate-50">
                        <span className="flex items-center gap-2">
                          <input type="checkbox" checked={selected.has(id)} disabled={disabled} onChange={(e) => onToggle([id], e.target.checked)} aria-label={`Copy table ${id}`} />
                          <span className="font-mono text-xs text-slate-900">{t.name}</span>
                        </span>
                        <span className="text-xs text-slate-500">
                          {formatRows(t.rowsEstimate)} · {formatBytes(t.bytes)}
                        </span>
                      </label>
                    </li>
                  );
                })}
              </ul>
            </div>
          );
        })}
      </div>
    </div>
  );
}
