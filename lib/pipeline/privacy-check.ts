import type pg from "pg";
import type { TRule } from "../schemas/rules";
import { fromItem } from "./catalog";
import { qi } from "./connect";
import type { CopyUnit } from "./plan";
import type { PrivacyCheckReport } from "./types";

// The privacy check of every run: sample source rows of each table with redacted columns (same
// snapshot, same row filter) and make sure no sampled value made it into the output.
//
// Two kinds of check, chosen per rule (see docs/ARCHITECTURE.md, "Privacy check"):
// - "values": none of the sampled source values occurs anywhere in the output column. Used
//   where a rule's outputs cannot legitimately look like inputs: hash (text/uuid), mask
//   keep_last (mask characters), null, constant (the configured constant itself is not a leak:
//   the admin chose it), json_paths (whole documents).
// - "rows": for the sampled rows, found again through an unredacted unique key, the output value
//   differs from the source value. Used where the output is drawn from the same domain as real
//   data, so that an unrelated row may legitimately hold the same value: fake names, cities,
//   phones..., phone/ssn/card masks (fresh digits), date_shift, numeric_noise, hash on integers
//   (a keyed permutation). The benchmark hit exactly this: a masked phone equal to another
//   customer's real phone.
// shuffle is not checked: it keeps the column's values by design (reported as skipped).
//
// A "rows" rule on a table without an unredacted unique key cannot find its sampled rows again.
// It falls back to "values" where an output equal to some real value is negligible (see
// valuesFallbackFor); otherwise the column is reported as not checked, the report counts it in
// `unchecked` and says why, and `passed` only means "no leak found in the checked columns".

export type CheckMethod = "values" | "rows";

export type ColumnCheck = {
  column: string;
  method: CheckMethod | null;
  reason?: string;
  /** "values": the sampled distinct values. */
  values: Set<string>;
  /** "rows": key text (tab-joined) -> source value. */
  rows: Map<string, string>;
  /** A value that never counts as a leak (the constant rule's value). */
  allowed?: string;
};

export type UnitSample = { unit: CopyUnit; keyColumns: string[]; checks: ColumnCheck[] };

const INTEGER_TYPES = new Set(["int2", "int4", "int8"]);

export function checkMethodFor(rule: TRule, baseType: string): { method: CheckMethod | null; reason?: string } {
  switch (rule.rule) {
    case "shuffle":
      return { method: null, reason: "shuffle keeps the column's values (moved between rows) by design" };
    case "hash":
      return INTEGER_TYPES.has(baseType) ? { method: "rows" } : { method: "values" };
    case "mask":
      return rule.format === "keep_last" ? { method: "values" } : { method: "rows" };
    case "null":
    case "constant":
    case "json_paths":
      return { method: "values" };
    default:
      return { method: "rows" };
  }
}

/**
 * For a "rows" rule without a key: is the "values" check still sound? Only where the outputs cannot
 * plausibly equal a real value: hash on bigint (a permutation of 2^64 values), fake email and url
 * (reserved example.* domains).
 */
export function valuesFallbackFor(rule: TRule, baseType: string): boolean {
  if (rule.rule === "hash") return baseType === "int8";
  if (rule.rule === "fake") return rule.kind === "email" || rule.kind === "url";
  return false;
}

/** The unredacted unique key used to find sampled rows again: the primary key, else a NOT NULL unique constraint. */
function stableKey(unit: CopyUnit): string[] | null {
  const t = unit.table;
  const candidates = t.constraints
    .filter((c) => c.type === "p" || c.type === "u")
    .sort((a, b) => (a.type === "p" ? -1 : 1) - (b.type === "p" ? -1 : 1));
  for (const c of candidates) {
    const cols = c.columns.map((n) => t.columns.find((col) => col.attnum === n)!);
    if (cols.every((col) => col && col.notNull && !col.generated && !unit.rules[col.name])) return cols.map((col) => col.name);
  }
  return null;
}

export async function sampleUnit(client: pg.Client, unit: CopyUnit, size: number): Promise<UnitSample | null> {
  const ruled = unit.columns.filter((c) => unit.rules[c.name]);
  if (!ruled.length || size <= 0) return null;
  const key = stableKey(unit);
  const checks: ColumnCheck[] = ruled.map((c) => {
    const rule = unit.rules[c.name];
    let { method, reason } = checkMethodFor(rule, c.baseType);
    if (method === "rows" && !key) {
      if (valuesFallbackFor(rule, c.baseType)) method = "values";
      else {
        method = null;
        reason = "not checked: the table has no unredacted primary key or NOT NULL unique key to find sampled rows again";
      }
    }
    return { column: c.name, method, reason, values: new Set(), rows: new Map(), ...(rule.rule === "constant" ? { allowed: rule.value } : {}) };
  });
  const active = checks.filter((c) => c.method);
  if (!active.length) return { unit, keyColumns: key ?? [], checks };
  const keyCols = key ?? [];
  const t = unit.table;
  const sample = !unit.where && (t.rowsEstimate ?? 0) > size * 50
    ? ` TABLESAMPLE SYSTEM (${Math.min(100, Math.max(0.01, (100 * size * 50) / t.rowsEstimate!)).toFixed(4)})`
    : "";
  const select = [...keyCols, ...active.map((c) => c.column)].map((c) => `t0.${qi(c)}::text`).join(", ");
  const from = `${fromItem(t)} t0${sample}`;
  const { rows } = await client.query({
    text: `SELECT ${select} FROM ${from}${unit.where ? ` WHERE ${unit.where}` : ""} ORDER BY random() LIMIT ${size}`,
    rowMode: "array",
  });
  for (const row of rows as (string | null)[][]) {
    const k = row.slice(0, keyCols.length).join("\t");
    active.forEach((c, i) => {
      const v = row[keyCols.length + i];
      if (v === null || v === "" || v === c.allowed) return;
      if (c.method === "values") c.values.add(v);
      else c.rows.set(k, v);
    });
  }
  return { unit, keyColumns: keyCols, checks };
}

export type LeakCount = { column: string; count: number };

/** Checks a staged table on the target. `stagedName` is the staged table's qualified name. */
export async function checkTarget(client: pg.Client, s: UnitSample, stagedName: string): Promise<LeakCount[]> {
  const leaks: LeakCount[] = [];
  const valueChecks = s.checks.filter((c) => c.method === "values" && c.values.size);
  if (valueChecks.length) {
    const filters = valueChecks.map((c, i) => `count(*) FILTER (WHERE t.${qi(c.column)}::text IN (SELECT unnest($${i + 1}::text[])))`);
    const { rows } = await client.query({ text: `SELECT ${filters.join(", ")} FROM ${stagedName} t`, values: valueChecks.map((c) => [...c.values]), rowMode: "array" });
    valueChecks.forEach((c, i) => leaks.push({ column: c.column, count: Number(rows[0][i]) }));
  }
  const rowChecks = s.checks.filter((c) => c.method === "rows" && c.rows.size);
  for (const c of rowChecks) {
    const keys = [...c.rows.keys()].map((k) => k.split("\t"));
    const keyArrays = s.keyColumns.map((_, i) => keys.map((k) => k[i]));
    const keyTypes = s.keyColumns.map((name) => s.unit.columns.find((col) => col.name === name)!.typeName);
    const n = s.keyColumns.length;
    const on = s.keyColumns.map((name, i) => `t.${qi(name)} = s.k${i}::${keyTypes[i]}`).join(" AND ");
    const { rows } = await client.query({
      text: `SELECT count(*) FROM ${stagedName} t JOIN unnest(${s.keyColumns.map((_, i) => `$${i + 1}::text[]`).join(", ")}, $${n + 1}::text[]) AS s(${s.keyColumns.map((_, i) => `k${i}`).join(", ")}, v) ON ${on} WHERE t.${qi(c.column)}::text = s.v`,
      values: [...keyArrays, [...c.rows.values()]],
      rowMode: "array",
    });
    leaks.push({ column: c.column, count: Number(rows[0][0]) });
  }
  return leaks;
}

/** In-stream check for a file output: feed it each decoded output row. */
export function createStreamChecker(s: UnitSample | null, columnNames: string[]) {
  const counts = new Map<string, number>();
  if (!s) return { check: (_row: (string | null)[]) => {}, leaks: () => [] as LeakCount[] };
  const idx = (name: string) => columnNames.indexOf(name);
  const keyIdx = s.keyColumns.map(idx);
  const valueChecks = s.checks.filter((c) => c.method === "values" && c.values.size).map((c) => ({ c, i: idx(c.column) }));
  const rowChecks = s.checks.filter((c) => c.method === "rows" && c.rows.size).map((c) => ({ c, i: idx(c.column) }));
  for (const { c } of [...valueChecks, ...rowChecks]) counts.set(c.column, 0);
  return {
    check(row: (string | null)[]) {
      for (const { c, i } of valueChecks) {
        const v = row[i];
        if (v !== null && c.values.has(v)) counts.set(c.column, counts.get(c.column)! + 1);
      }
      if (rowChecks.length) {
        const k = keyIdx.map((i) => row[i]).join("\t");
        for (const { c, i } of rowChecks) {
          const src = c.rows.get(k);
          if (src !== undefined && row[i] === src) counts.set(c.column, counts.get(c.column)! + 1);
        }
      }
    },
    leaks: () => [...counts].map(([column, count]) => ({ column, count })),
  };
}

export function summarize(samples: (UnitSample | null)[], results: { sample: UnitSample; output: "target" | "s3"; leaks: LeakCount[] }[]): PrivacyCheckReport {
  const columns: NonNullable<PrivacyCheckReport["columns"]> = [];
  let valuesChecked = 0;
  for (const s of samples) {
    if (!s) continue;
    for (const c of s.checks) {
      const n = c.method === "values" ? c.values.size : c.rows.size;
      valuesChecked += c.method ? n : 0;
      columns.push({ schema: s.unit.table.schema, table: s.unit.table.name, column: c.column, method: c.method ?? "skipped", values: c.method ? n : 0, ...(c.reason ? { reason: c.reason } : {}) });
    }
  }
  const leaks = results.flatMap((r) => r.leaks.filter((l) => l.count > 0).map((l) => ({
    schema: r.sample.unit.table.schema, table: r.sample.unit.table.name, column: l.column, output: r.output, count: l.count,
  })));
  const unchecked = columns.filter((c) => c.method === "skipped").length;
  return { passed: leaks.length === 0, columnsChecked: columns.length - unchecked, unchecked, valuesChecked, leaks, columns };
}
