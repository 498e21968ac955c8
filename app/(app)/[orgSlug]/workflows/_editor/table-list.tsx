"use client";

import { useMemo, useRef, useState } from "react";
import { controlClass } from "@/app/_components/field";

// The selected tables as a navigable list: search, filter ("has personal data", "unreviewed",
// "has rules"), per table the columns left to review; ↑/↓ move between tables, Enter opens one.

export type TableListItem = { id: string; name: string; unreviewed: number; rules: number; personal: number };
type FilterKind = "all" | "personal" | "unreviewed" | "rules";
const FILTERS: { kind: FilterKind; label: string }[] = [
  { kind: "all", label: "All" },
  { kind: "unreviewed", label: "Unreviewed" },
  { kind: "personal", label: "Has personal data" },
  { kind: "rules", label: "Has rules" },
];

export function TableList({ items, active, onOpen }: { items: TableListItem[]; active: string | null; onOpen(id: string): void }) {
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState<FilterKind>("all");
  const listRef = useRef<HTMLUListElement>(null);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return items.filter((t) => {
      if (q && !t.id.toLowerCase().includes(q)) return false;
      if (filter === "personal") return t.personal > 0;
      if (filter === "unreviewed") return t.unreviewed > 0;
      if (filter === "rules") return t.rules > 0;
      return true;
    });
  }, [items, query, filter]);

  function onKeyDown(e: React.KeyboardEvent<HTMLUListElement>) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp" && e.key !== "Home" && e.key !== "End") return;
    e.preventDefault();
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>("button[data-id]") ?? [])];
    const at = buttons.findIndex((b) => b === document.activeElement);
    const next = e.key === "Home" ? 0 : e.key === "End" ? buttons.length - 1 : Math.max(0, Math.min(buttons.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)));
    const b = buttons[next];
    if (b) {
      b.focus();
      onOpen(b.dataset.id!);
    }
  }

  return (
    <nav aria-label="Selected tables" className="flex min-w-0 flex-col gap-2">
      <input type="search" aria-label="Find a selected table" placeholder="Find a table…" className={`${controlClass} py-1.5`} value={query} onChange={(e) => setQuery(e.target.value)} />
      <div className="flex flex-wrap gap-1" role="group" aria-label="Show">
        {FILTERS.map((f) => (
          <button
            key={f.kind}
            type="button"
            aria-pressed={filter === f.kind}
            onClick={() => setFilter(f.kind)}
            className={`rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${filter === f.kind ? "bg-brand-600 text-white ring-brand-600" : "bg-white text-slate-700 ring-slate-300 hover:bg-slate-50"}`}
          >
            {f.label}
          </button>
        ))}
      </div>
      <ul ref={listRef} onKeyDown={onKeyDown} className="max-h-64 overflow-y-auto rounded-md bg-white ring-1 ring-slate-200 lg:max-h-[calc(100vh-12rem)]" data-testid="table-list">
        {shown.length === 0 && <li className="px-3 py-4 text-center text-sm text-slate-500">No table matches.</li>}
        {shown.map((t) => {
          const on = t.id === active;
          return (
            <li key={t.id}>
              <button
                type="button"
                data-id={t.id}
                aria-current={on ? "true" : undefined}
                tabIndex={on || (!active && t === shown[0]) ? 0 : -1}
                onClick={() => onOpen(t.id)}
                className={`flex w-full items-center justify-between gap-2 px-3 py-1.5 text-left text-sm focus-visible:outline-2 focus-visible:outline-brand-600 ${on ? "bg-brand-50 text-brand-800" : "text-slate-800 hover:bg-slate-50"}`}
              >
                <span className="min-w-0 truncate font-mono text-xs" title={t.id}>
                  {t.name}
                </span>
                <span className="flex shrink-0 items-center gap-1 text-xs">
                  {t.personal > 0 && (
                    <span className="size-2 rounded-full bg-red-500" title={`${t.personal} columns look personal`} aria-label={`${t.personal} columns look personal`} />
                  )}
                  {t.unreviewed > 0 ? (
                    <span className="rounded-full bg-amber-100 px-1.5 font-medium text-amber-800" data-testid="list-unreviewed">
                      {t.unreviewed}
                    </span>
                  ) : (
                    <span className="text-emerald-600" aria-label="all reviewed">
                      ✓
                    </span>
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
