import type pg from "pg";
import { fromItem } from "./catalog";
import { qi, qname } from "./connect";
import { runCustomizations, type prepareCustomizations } from "./customizations";
import { softDeleted, sourcePrimaryKeyColumnDdl, type UnitDelta } from "./delta-plan";
import { EngineError, withStatement } from "./errors";
import type { CopyUnit } from "./plan";
import type { CatalogColumn } from "./catalog";
import { mergeableKey, type DeletedKeys } from "./delta-keys";
import { describeStatement } from "./staging-ddl";
import { SOURCE_PRIMARY_KEY } from "./validate-definition";

// A delta run's writes into the twin. The changed rows (and, for deletes, every source key) are
// COPY-loaded into unlogged tables of a staging schema first; then ONE transaction applies them:
// user triggers of the twin tables are disabled for it (they ran on the source already), tables
// are upserted referenced-first (INSERT ... ON CONFLICT (source_primary_key) DO UPDATE, skipping
// rows whose values did not change) while the caller may still be reading the keys (`keysRead`),
// and rows gone from the source deleted referencing-first, so non-deferrable foreign keys hold
// after every statement; sequences and customizations follow, then the privacy check the caller
// ran beside it (`privacyChecked`), the caller's fencing check, COMMIT. Readers see the previous
// twin or the new one; a failure or a kill before COMMIT leaves the previous twin as it was.

export type StagedDelta = UnitDelta & {
  /** The staged rows (changed rows in mode "delta", all rows otherwise). */
  rows: string;
  /** Every source key (mode "delta"), COPY-loaded. */
  keys?: string;
  /** Mode "delta" with a single integer key without a rule: the key column, whose deleted keys are found in the engine (delta-keys.ts). */
  mergeKey?: CatalogColumn;
  /** Those keys (as ranges, or one by one), once read. */
  deleted?: DeletedKeys;
};

export type DeltaCounts = { inserted: number; updated: number; deleted: number };

/** Unlogged staging tables with the source's column types (and the generated source_primary_key). */
export function deltaStagingStatements(stage: string, d: UnitDelta, i: number): { staged: StagedDelta; sql: string[] } {
  const rows = qname(stage, `r${i}`);
  const cols = d.unit.columns.map((c) => `${qi(c.name)} ${c.typeName}`);
  const sql = [`CREATE UNLOGGED TABLE ${rows} (${[...cols, ...(d.key ? [sourcePrimaryKeyColumnDdl(d.key.expression)] : [])].join(", ")})`];
  if (d.mode !== "delta" || d.unit.entry.delta?.softDelete) return { staged: { ...d, rows }, sql };
  const mergeKey = mergeableKey(d.unit, d.key!.columns);
  if (mergeKey) return { staged: { ...d, rows, mergeKey }, sql };
  const keys = qname(stage, `k${i}`);
  sql.push(`CREATE UNLOGGED TABLE ${keys} (${d.key!.columns.map((c) => `${qi(c.name)} ${c.typeName}`).join(", ")})`);
  return { staged: { ...d, rows, keys }, sql };
}

export type ApplyOptions = {
  schemas: string[];
  /** Referenced tables first. */
  units: StagedDelta[];
  sequences: string[];
  customizations: ReturnType<typeof prepareCustomizations>;
  statementTimeoutMs: number;
  beforeCommit?: () => Promise<void>;
  /** Settles once the source keys are read (the deletes need them; the upserts run meanwhile). */
  keysRead: Promise<unknown>;
  /** Must resolve (the staged rows passed the privacy check) before the COMMIT. */
  privacyChecked: Promise<unknown>;
  checkAborted: () => void;
  onCommitted: () => void;
  /** Times a step of the transaction (step-timings.ts). */
  time?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
};

export async function applyDelta(c: pg.Client, o: ApplyOptions): Promise<{ counts: Map<CopyUnit, DeltaCounts>; customizations: { name: string; rowsAffected: number }[]; refreshed: string[] }> {
  const counts = new Map<CopyUnit, DeltaCounts>(o.units.map((u) => [u.unit, { inserted: 0, updated: 0, deleted: 0 }]));
  const run = (sql: string) => c.query(sql).catch((err) => { throw withStatement(err, describeStatement(sql, null)); });
  const time = o.time ?? ((_name, fn) => fn());
  await c.query("BEGIN");
  await c.query(`SET LOCAL search_path TO ${o.schemas.map(qi).join(", ")}`);
  // Statistics for the staged tables that are joined (the anti-join over all keys or rows, the soft
  // deletes); a delta table's changed rows are only scanned by the upsert.
  const joined = o.units.filter((u) => u.mode !== "delta" || softDeleteColumn(u)).map((u) => u.rows);
  if (joined.length) await time("analyze", () => run(`ANALYZE ${joined.join(", ")}`));
  for (const u of o.units) for (const sql of u.alter?.before ?? []) await run(sql);
  const triggers = await disableTriggers(c, o.units.map((u) => u.unit));
  await time("upserts", async () => { for (const u of o.units) {
    const n = counts.get(u.unit)!;
    if (u.mode === "replace") {
      n.deleted = (await run(`DELETE FROM ${twin(u)}`)).rowCount ?? 0;
      n.inserted = (await run(`INSERT INTO ${qname(u.unit.table.schema, u.unit.table.name)} (${columnList(u)}) OVERRIDING SYSTEM VALUE SELECT ${columnList(u)} FROM ${u.rows}`)).rowCount ?? 0;
    } else {
      const soft = u.mode === "delta" ? softDeleteColumn(u) : null;
      if (soft) {
        // Changed rows marked deleted: out of the twin, and not upserted.
        n.deleted = (await run(`DELETE FROM ${twin(u)} t USING ${u.rows} r WHERE r.${qi(SOURCE_PRIMARY_KEY)} = t.${qi(SOURCE_PRIMARY_KEY)} AND ${softDeleted(soft, "r")}`)).rowCount ?? 0;
        await run(`DELETE FROM ${u.rows} r WHERE ${softDeleted(soft, "r")}`);
      }
      const r = (await run(upsertStatement(u))).rows[0];
      n.inserted = Number(r.ins);
      n.updated = Number(r.upd);
    }
  } });
  // Rows gone from the source (soft-delete tables: marked rows, removed above), once the keys are read.
  await time("waiting for keys", () => o.keysRead);
  const keyTables = o.units.flatMap((u) => (u.keys ? [u.keys] : []));
  if (keyTables.length) await time("analyze keys", () => run(`ANALYZE ${keyTables.join(", ")}`));
  await time("deletes", async () => { for (const u of [...o.units].reverse()) {
    if (u.mode === "replace" || (u.mode === "delta" && softDeleteColumn(u))) continue;
    if (u.mergeKey) {
      counts.get(u.unit)!.deleted = await deleteKeys(c, u, u.mergeKey, u.deleted!);
      continue;
    }
    // On the key columns (both sides hold the redacted key; typed equality hashes faster than the text).
    const match = u.key!.columns.map((c) => `k.${qi(c.name)} = t.${qi(c.name)}`).join(" AND ");
    counts.get(u.unit)!.deleted = (await run(`DELETE FROM ${twin(u)} t WHERE NOT EXISTS (SELECT 1 FROM ${u.keys ?? u.rows} k WHERE ${match})`)).rowCount ?? 0;
  } });
  for (const u of o.units) for (const sql of u.alter?.after ?? []) await run(sql);
  for (const sql of triggers) await run(sql);
  const changed = o.units.filter((u) => { const n = counts.get(u.unit)!; return n.inserted + n.updated + n.deleted > 0; });
  const refreshed = await time("materialized views", () => refreshMaterializedViews(c, changed.map((u) => u.unit)));
  for (const sql of o.sequences) await run(sql);
  const customizations = await runCustomizations(c, o.customizations, o.statementTimeoutMs);
  await time("waiting for the privacy check", () => o.privacyChecked);
  if (o.beforeCommit) {
    try {
      await o.beforeCommit();
    } catch (err) {
      throw err instanceof EngineError ? err
        : new EngineError("CANCELED", "The run was stopped right before publishing (its job is no longer held by this worker); the previous twin is unchanged.", "", { cause: err });
    }
  }
  o.checkAborted();
  await time("commit", () => c.query("COMMIT"));
  o.onCommitted();
  return { counts, customizations, refreshed };
}

/** Deletes the twin rows with the keys found in the engine: in the source's missing ranges (an index probe each), or by value. */
async function deleteKeys(c: pg.Client, u: StagedDelta, key: CatalogColumn, keys: DeletedKeys): Promise<number> {
  const k = `t.${qi(key.name)}`;
  const type = `${key.typeName}[]`;
  const [sql, params] = "missing" in keys
    ? [`DELETE FROM ${twin(u)} t USING unnest($1::${type}, $2::${type}) AS m(lo, hi) WHERE ${k} >= m.lo AND ${k} <= m.hi`, [keys.missing.lo, keys.missing.hi]]
    : [`DELETE FROM ${twin(u)} t WHERE ${k} = ANY ($1::${type})`, [keys.gone]];
  if (!params[0].length) return 0;
  return (await c.query(sql, params).catch((err) => { throw withStatement(err, describeStatement(sql, null)); })).rowCount ?? 0;
}

/**
 * Like a full run, whose swap refreshes the twin's populated materialized views from the redacted
 * rows: the populated ones that depend on a changed table (through views and other materialized
 * views too) are refreshed, dependencies first, in the apply transaction (readers of one wait for
 * the COMMIT, as they do for a swap). Returns their names.
 */
async function refreshMaterializedViews(c: pg.Client, units: CopyUnit[]): Promise<string[]> {
  if (!units.length) return [];
  const { rows } = await c.query(`WITH RECURSIVE dep(oid, depth) AS (
        SELECT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
         WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass AND r.ev_class <> d.refobjid
           AND d.refobjid IN (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN unnest($1::text[], $2::text[]) AS u(s, t) ON u.s = n.nspname AND u.t = c.relname)
        UNION
        SELECT r.ev_class, dep.depth + 1 FROM dep JOIN pg_depend d ON d.refobjid = dep.oid AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
          JOIN pg_rewrite r ON r.oid = d.objid WHERE r.ev_class <> dep.oid AND dep.depth < 50)
      SELECT c.oid::regclass::text AS name FROM dep JOIN pg_class c ON c.oid = dep.oid
       WHERE c.relkind = 'm' AND c.relispopulated GROUP BY c.oid, 1 ORDER BY max(dep.depth), 1`,
  [units.map((u) => u.table.schema), units.map((u) => u.table.name)]);
  for (const r of rows) await c.query(`REFRESH MATERIALIZED VIEW ${r.name}`).catch((err) => { throw withStatement(err, `REFRESH MATERIALIZED VIEW ${r.name}`); });
  return rows.map((r) => r.name as string);
}

const twin = (u: StagedDelta) => fromItem(u.unit.table);
const softDeleteColumn = (u: StagedDelta) => u.unit.entry.delta?.softDelete ? u.unit.table.columns.find((c) => c.name === u.unit.entry.delta!.softDelete)! : null;
const columnList = (u: StagedDelta) => u.unit.columns.map((c) => qi(c.name)).join(", ");

/** Inserted and updated rows counted apart (xmax = 0: a fresh tuple); unchanged rows are not rewritten. */
function upsertStatement(u: StagedDelta): string {
  const keyNames = new Set(u.key!.columns.map((c) => c.name));
  const set = u.unit.columns.filter((c) => !keyNames.has(c.name) && c.identity !== "a");
  const cols = columnList(u);
  const onConflict = set.length
    ? `DO UPDATE SET ${set.map((c) => `${qi(c.name)} = EXCLUDED.${qi(c.name)}`).join(", ")}
        WHERE ROW(${set.map((c) => `t.${qi(c.name)}`).join(", ")})::text IS DISTINCT FROM ROW(${set.map((c) => `EXCLUDED.${qi(c.name)}`).join(", ")})::text`
    : "DO NOTHING";
  return `WITH up AS (
      INSERT INTO ${qname(u.unit.table.schema, u.unit.table.name)} AS t (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM ${u.rows}
      ON CONFLICT (${qi(SOURCE_PRIMARY_KEY)}) ${onConflict}
      RETURNING (xmax = 0) AS inserted)
    SELECT count(*) FILTER (WHERE inserted)::int8 AS ins, count(*) FILTER (WHERE NOT inserted)::int8 AS upd FROM up`;
}

/** Disables the enabled user triggers of the tables for this transaction; returns the statements that restore them. */
async function disableTriggers(c: pg.Client, units: CopyUnit[]): Promise<string[]> {
  const { rows } = await c.query(`SELECT n.nspname AS schema, r.relname AS table, t.tgname AS name, t.tgenabled AS enabled
      FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace
      JOIN unnest($1::text[], $2::text[]) AS u(s, n) ON u.s = n.nspname AND u.n = r.relname
     WHERE NOT t.tgisinternal AND t.tgenabled <> 'D'`, [units.map((u) => u.table.schema), units.map((u) => u.table.name)]);
  const restore: string[] = [];
  for (const r of rows) {
    const table = qname(r.schema, r.table);
    await c.query(`ALTER TABLE ${table} DISABLE TRIGGER ${qi(r.name)}`);
    const how = r.enabled === "A" ? " ALWAYS" : r.enabled === "R" ? " REPLICA" : "";
    restore.push(`ALTER TABLE ${table} ENABLE${how} TRIGGER ${qi(r.name)}`);
  }
  return restore;
}
