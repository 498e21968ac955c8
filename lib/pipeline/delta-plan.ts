import { createHash } from "node:crypto";
import type pg from "pg";
import type { TWorkflowDefinition } from "../schemas/workflow";
import { fromItem, type CatalogColumn, type CatalogTable } from "./catalog";
import { qi, ql, qname } from "./connect";
import { FILTER_REASON, INHERITANCE_REASON, keyReason, NO_CHANGE_COLUMN_REASON } from "./full-copy-reason";
import type { ClonePlan, CopyUnit } from "./plan";
import type { DeltaTableState } from "./types";
import { SOURCE_PRIMARY_KEY } from "./validate-definition";
import { FIRST_RUN_REASON, foreignKeyOrder, selectionChangeReason, standingWholeRunReason, type Reference } from "./whole-run-reason";

// Delta updates: what each table of a delta-enabled target gets on this run.
//
// - source_primary_key: a text column that the twin tables with a usable primary key carry,
//   GENERATED ALWAYS from the twin's own key columns (so it holds the redacted key where the
//   key has a rule, is stable across runs because rules are deterministic, and application
//   inserts into the twin fill it themselves), unique-indexed: the upsert key. A single key is
//   its text form (`42`), a composite one the quoted texts joined by commas (`'7','DE'`). Key
//   types whose text form is not immutable (dates, timestamps, enums...) cannot be generated:
//   those tables are re-copied in full.
// - Watermark: the source's `least(statement_timestamp(), oldest xact_start)` read just BEFORE
//   the snapshot. A transaction that commits after our snapshot was either running then (its
//   rows' now() is at least its xact_start, so at least the watermark) or started later; the
//   next run reads `column >= watermark - overlap`, so neither is missed. Equal timestamps at the
//   boundary are read again (>=): upserts make re-reading harmless. The watermark is only
//   persisted (by the caller) after the target transaction committed, so a killed run is retried
//   from the previous one.
// - Modes: "delta" (changed rows only, deletes by comparing all source keys with the twin's
//   source_primary_key), or "full" with the reason: "upsert" re-reads all rows and upserts them,
//   deleting the twin rows no longer read; "replace" (no usable key) deletes and re-inserts the
//   table's rows in the same transaction. Some situations need a whole full run (wholeRunReason).
// - Soft deletes (`delta.softDelete`): every read leaves rows marked deleted out (plan.ts), except
//   a delta read, which reads them to remove them from the twin; its keys are not compared.


export type UnitDelta = {
  unit: CopyUnit;
  fingerprint: string;
  /** The key columns and the source_primary_key expression, or null (no usable key). */
  key: { columns: CatalogColumn[]; expression: string } | null;
  mode: "delta" | "upsert" | "replace";
  /** Why the table is read in full (absent in mode "delta"). */
  fullReason?: string;
  /** The previous run's watermark (delta mode): a timestamp, or with `delta.xmin` the previous snapshot's xmin (xid8). */
  from?: string;
  /** Columns changed since the last run: statements on the twin table before the upsert, and after it (NOT NULL back). */
  alter?: { before: string[]; after: string[] };
};

export type DeltaPlan = {
  /** Set when this run must be a full run of every table (first run, twin replaced...), and why. */
  wholeRunReason: string | null;
  units: UnitDelta[];
  /** The units in foreign-key order, referenced tables first. */
  order: CopyUnit[];
  watermark: string;
  /** This run's snapshot xmin and xmax (xid8 text): the next run's xmin watermark, and this run's reference for comparing xmins. */
  snapshot: SnapshotXids;
};

export type SnapshotXids = { xmin: string; xmax: string };

/**
 * xmin change detection reads rows whose 32-bit xmin lies in [previous snapshot xmin, this snapshot
 * xmax), counted backwards from xmax modulo 2^32: exact as long as fewer than 2^31 transactions ran
 * between the runs (else the table is re-read in full). Every transaction our snapshot does not see
 * has an xid >= its xmin, so a late commit is read by the next run. Freezing keeps the raw xmin
 * (PostgreSQL >= 9.4), so a row changed and then frozen is still read; an old frozen row whose raw
 * xmin happens to fall in the range after 2^32 transactions is merely re-read (upserts ignore it).
 */
const XID_SPAN_LIMIT = 2n ** 31n - 1_000_000n;

/**
 * Columns (names, types, nullability, generation) and constraints of a table, hashed apart as
 * `<columns>.<constraints>`: changed columns re-copy that table in full (its twin columns altered
 * in the apply transaction); changed constraints make the run a full run.
 */
export function fingerprint(t: CatalogTable): string {
  const hash = (v: unknown) => createHash("sha256").update(JSON.stringify(v)).digest("hex").slice(0, 24);
  const cols = t.columns.map((c) => [c.name, c.typeName, c.notNull, c.generated, c.identity, c.collation]);
  const cons = t.constraints.map((c) => `${c.type}:${c.def}`).sort();
  return `${hash({ kind: t.kind, cols })}.${hash(cons)}`;
}

type TwinColumn = { name: string; type: string; notNull: boolean; pinned: boolean };

/** The primary key's columns with the source_primary_key expression over them, or why there is none. */
export function sourceKey(t: CatalogTable): { columns: CatalogColumn[]; expression: string } | { reason: string } {
  const pk = t.constraints.find((c) => c.type === "p");
  const columns = pk ? pk.columns.map((n) => t.columns.find((c) => c.attnum === n)!) : [];
  const reason = keyReason(pk ? columns : null);
  if (reason) return { reason };
  const expression = columns.length === 1
    ? `(${qi(columns[0].name)})::text`
    : columns.map((c) => `quote_literal((${qi(c.name)})::text)`).join(` || ',' || `);
  return { columns, expression };
}

/** The soft-delete column's "deleted" test: true for a boolean, set for a date or timestamp. */
export function softDeleted(c: CatalogColumn, alias: string): string {
  return c.baseType === "bool" ? `(${alias}.${qi(c.name)} IS TRUE)` : `(${alias}.${qi(c.name)} IS NOT NULL)`;
}

export function sourcePrimaryKeyColumnDdl(expression: string): string {
  return `${qi(SOURCE_PRIMARY_KEY)} text GENERATED ALWAYS AS (${expression}) STORED`;
}

/**
 * The source's safe watermark, read in autocommit before the snapshot starts: the oldest start
 * of a transaction still running (it may yet commit rows stamped with its now()), else now.
 * Sessions whose xact_start this role may not see (other users', without pg_read_all_stats)
 * are counted in `hidden`: the caller then warns that only the overlap covers them.
 */
export async function readWatermark(c: pg.Client): Promise<{ watermark: string; hidden: number; lagSeconds: number }> {
  const { rows } = await c.query(`SELECT least(statement_timestamp(), min(a.xact_start))::text AS watermark,
       extract(epoch FROM statement_timestamp() - least(statement_timestamp(), min(a.xact_start)))::float8 AS "lagSeconds",
       count(*) FILTER (WHERE a.backend_type = 'client backend' AND a.state IS NULL)::int AS hidden
     FROM pg_stat_activity a WHERE a.pid <> pg_backend_pid()`);
  return rows[0];
}

/**
 * What the twin has: per table of the plan, whether it carries source_primary_key, and its
 * columns (types formatted with the catalog's search_path, catalog.ts); `pinned`: a view, rule,
 * key or foreign key uses the column, so it cannot be altered or dropped in place.
 */
async function readTwin(c: pg.Client, plan: ClonePlan): Promise<Map<string, { hasKeyColumn: boolean; columns: TwinColumn[] }>> {
  await c.query(`SET search_path TO ${plan.schemas.map(qi).join(", ")}`);
  const { rows } = await c.query(`SELECT n.nspname AS schema, r.relname AS table,
        EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attname = $3 AND a.attgenerated = 's' AND NOT a.attisdropped) AS has_key,
        (SELECT coalesce(json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'notNull', a.attnotnull,
                  'pinned', EXISTS (SELECT 1 FROM pg_depend d WHERE d.refobjid = r.oid AND d.refobjsubid = a.attnum AND d.classid = 'pg_rewrite'::regclass)
                         OR EXISTS (SELECT 1 FROM pg_constraint k WHERE k.contype IN ('p', 'u', 'f', 'x') AND ((k.conrelid = r.oid AND a.attnum = ANY (k.conkey)) OR (k.confrelid = r.oid AND a.attnum = ANY (k.confkey)))))
                  ORDER BY a.attnum), '[]')
           FROM pg_attribute a WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> $3) AS columns
      FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace
      JOIN unnest($1::text[], $2::text[]) AS u(s, t) ON u.s = n.nspname AND u.t = r.relname
     WHERE r.relkind IN ('r', 'p')`, [plan.units.map((u) => u.table.schema), plan.units.map((u) => u.table.name), SOURCE_PRIMARY_KEY]);
  await c.query("RESET search_path");
  return new Map(rows.map((r) => [`${r.schema}.${r.table}`, { hasKeyColumn: r.has_key as boolean, columns: r.columns as TwinColumn[] }]));
}

/**
 * The twin table's columns brought to the source's: changed types (emptied: every row is
 * upserted again), added and dropped columns; NOT NULL comes back after the rows. Null when a
 * change touches a pinned column or a generated one (then the run is a full run).
 */
function alterColumns(t: CatalogTable, twin: TwinColumn[]): UnitDelta["alter"] | null {
  const table = qname(t.schema, t.name);
  const before: string[] = [];
  const after: string[] = [];
  const byName = new Map(twin.map((c) => [c.name, c]));
  for (const c of t.columns) {
    const tc = byName.get(c.name);
    if (tc && tc.type === c.typeName && tc.notNull === c.notNull) continue;
    if (c.generated || (tc?.pinned)) return null;
    if (!tc) {
      before.push(`ALTER TABLE ${table} ADD COLUMN ${qi(c.name)} ${c.typeName}`);
      if (c.defaultExpr) after.push(`ALTER TABLE ${table} ALTER COLUMN ${qi(c.name)} SET DEFAULT ${c.defaultExpr}`);
    }
    else {
      if (tc.notNull) before.push(`ALTER TABLE ${table} ALTER COLUMN ${qi(c.name)} DROP NOT NULL`);
      if (tc.type !== c.typeName) {
        // The old default may not cast to the new type; the source's comes back after the rows.
        before.push(`ALTER TABLE ${table} ALTER COLUMN ${qi(c.name)} DROP DEFAULT`, `ALTER TABLE ${table} ALTER COLUMN ${qi(c.name)} TYPE ${c.typeName} USING NULL`);
        if (c.defaultExpr) after.push(`ALTER TABLE ${table} ALTER COLUMN ${qi(c.name)} SET DEFAULT ${c.defaultExpr}`);
      }
    }
    if (c.notNull) after.push(`ALTER TABLE ${table} ALTER COLUMN ${qi(c.name)} SET NOT NULL`);
  }
  for (const tc of twin) {
    if (t.columns.some((c) => c.name === tc.name)) continue;
    if (tc.pinned) return null;
    before.push(`ALTER TABLE ${table} DROP COLUMN ${qi(tc.name)}`);
  }
  return { before, after };
}

const labelOf = (u: CopyUnit) => `${u.table.schema}.${u.table.name}`;

/** Decides each table's mode for a delta-enabled target (`previous`: the states the last successful run left). */
export async function planDelta(c: pg.Client, def: TWorkflowDefinition, plan: ClonePlan, previous: DeltaTableState[] | undefined, watermark: string, snapshot: SnapshotXids): Promise<DeltaPlan> {
  const prev = new Map((previous ?? []).map((s) => [`${s.schema}.${s.table}`, s]));
  const twin = await readTwin(c, plan);
  const keys = new Map(plan.units.map((u) => [u, sourceKey(u.table)]));
  // An inheritance parent would pass source_primary_key on to its children: those are replaced too.
  const upsertable = (u: CopyUnit) => "expression" in keys.get(u)! && u.table.kind === "r" && u.relations.length === 1 && !u.table.inheritsFrom.length
    && !plan.relations.some((r) => r.inheritsFrom.includes(u.table.oid) || r.parentOid === u.table.oid);
  const references = unitReferences(plan);
  const order = foreignKeyOrder(plan.units, references);
  let wholeRunReason: string | null = previous?.length ? null : FIRST_RUN_REASON;
  wholeRunReason ??= standingWholeRunReason(plan.units.map((u) => ({ id: u, label: labelOf(u), keyed: upsertable(u) })), references);
  wholeRunReason ??= selectionChangeReason([...prev.keys()], plan.units.map(labelOf));
  const units: UnitDelta[] = plan.units.map((unit) => {
    const t = unit.table;
    const fp = fingerprint(t);
    const key = keys.get(unit)!;
    const state = prev.get(labelOf(unit));
    const canUpsert = upsertable(unit);
    const base = { unit, fingerprint: fp, key: canUpsert && "expression" in key ? key : null };
    const columnsChanged = !!state && state.fingerprint !== fp && state.fingerprint.split(".")[1] === fp.split(".")[1];
    const alter = columnsChanged && canUpsert && twin.has(labelOf(unit)) ? alterColumns(t, twin.get(labelOf(unit))!.columns) : null;
    if (!wholeRunReason && state) {
      if (state.fingerprint !== fp && !alter) wholeRunReason = `the ${columnsChanged ? "columns" : "constraints"} of ${labelOf(unit)} changed since the last run${columnsChanged ? " in a way that cannot be applied in place" : ""}`;
      else if (canUpsert && !twin.get(labelOf(unit))?.hasKeyColumn) wholeRunReason = `the twin's ${labelOf(unit)} has no ${SOURCE_PRIMARY_KEY} (replaced since the last run)`;
      else if (!twin.has(labelOf(unit))) wholeRunReason = `the twin has no table ${labelOf(unit)}`;
    }
    if (!canUpsert) {
      const reason = "reason" in key ? key.reason : INHERITANCE_REASON;
      return { ...base, mode: "replace" as const, fullReason: reason };
    }
    if (alter) return { ...base, mode: "upsert" as const, fullReason: "its columns or their types changed since the last run", alter };
    if (unit.entry.filter.kind === "window" || unit.where) return { ...base, mode: "upsert" as const, fullReason: FILTER_REASON };
    if (!unit.entry.delta) return { ...base, mode: "upsert" as const, fullReason: NO_CHANGE_COLUMN_REASON };
    if (unit.entry.delta.xmin) {
      const from = state?.snapshotXmin;
      if (!from) return { ...base, mode: "upsert" as const, fullReason: "the last run left no xmin watermark (xmin change detection is new for this table)" };
      if (BigInt(snapshot.xmax) - BigInt(from) > XID_SPAN_LIMIT) return { ...base, mode: "upsert" as const, fullReason: "over 2 billion source transactions since the last run: xmin values would be ambiguous (wrap-around)" };
      return { ...base, mode: "delta" as const, from };
    }
    return { ...base, mode: "delta" as const, from: state?.watermark };
  });
  return { wholeRunReason, units, order: order ?? plan.units, watermark, snapshot };
}

/** The clone's foreign keys between its units (a partition's stand for the unit that reads it). */
function unitReferences(plan: ClonePlan): Reference<CopyUnit>[] {
  const unitOf = new Map<number, CopyUnit>();
  for (const u of plan.units) for (const r of u.relations) unitOf.set(r.oid, u);
  return plan.foreignKeys.flatMap((fk) => {
    const from = unitOf.get(fk.relid);
    const to = unitOf.get(fk.refRelid!);
    return from && to ? [{ from, to }] : [];
  });
}

/**
 * The changed rows of a delta-mode unit: its change column at or after the previous watermark minus
 * the overlap (NULLs too), or with `delta.xmin` rows whose xmin is at or after the previous
 * snapshot's xmin (see XID_SPAN_LIMIT; `snapshot`: this run's).
 */
export function changedRowsUnit(d: UnitDelta, overlapSeconds: number, snapshot: SnapshotXids): CopyUnit {
  const u = d.unit;
  let changed: string;
  if (u.entry.delta!.xmin) {
    const xmax = BigInt(snapshot.xmax);
    const span = xmax - BigInt(d.from!);
    changed = `(((${xmax % 2n ** 32n} - t0.xmin::text::int8) % 4294967296 + 4294967296) % 4294967296 <= ${span})`;
  } else {
    const col = u.columns.find((c) => c.name === u.entry.delta!.column)!;
    const bound = `(${ql(d.from!)}::timestamptz - interval '${overlapSeconds} seconds')`;
    const cmp = col.baseType === "timestamp" ? `(${bound} AT TIME ZONE 'UTC')` : bound;
    changed = `(t0.${qi(col.name)} >= ${cmp} OR t0.${qi(col.name)} IS NULL)`;
  }
  const where = u.where ? `(${u.where}) AND ${changed}` : changed;
  const select = u.columns.map((c) => `t0.${qi(c.name)}`).join(", ");
  return { ...u, where, copyQuery: `COPY (SELECT ${select} FROM ${fromItem(u.table)} t0 WHERE ${where}) TO STDOUT` };
}

/** All source keys of a delta-mode unit (redacted like the rows), for finding deleted rows. */
export function keysUnit(d: UnitDelta): CopyUnit {
  const u = d.unit;
  const cols = d.key!.columns;
  const rules = Object.fromEntries(Object.entries(u.rules).filter(([c]) => cols.some((k) => k.name === c)));
  return {
    ...u, columns: cols, rules, where: null, windowOnly: null,
    copyQuery: `COPY (SELECT ${cols.map((c) => `t0.${qi(c.name)}`).join(", ")} FROM ${fromItem(u.table)} t0) TO STDOUT`,
  };
}
