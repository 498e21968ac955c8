import type { TRule } from "../schemas/rules";
import type { TWorkflowDefinition, TWorkflowTable } from "../schemas/workflow";
import { fromItem, toColumnMeta, type Catalog, type CatalogColumn, type CatalogConstraint, type CatalogTable } from "./catalog";
import { qi } from "./connect";
import { EngineError } from "./errors";
import { softDeleted } from "./delta-plan";
import { softDeleteRefusal, softDeleteRefusedReason } from "./soft-delete-refusal";
import { describeRule } from "../redaction/describe-rule";
import { followKeys, type EffectiveRule } from "../redaction/follow-keys";
import { ruleOutputMismatch } from "./rule-output-type";
import type { ColumnRuleReport } from "./types";

// The copy plan: which relations the clone contains, which of them are read (a partitioned
// table is read through its root, which routes rows to the partitions on the target), the
// effective rule of each column, and the row filter of each read.
//
// Rules follow foreign keys: a column that references a redacted key gets the key's rule, so
// the redacted values still match ("follows public.customers.id").
//
// Time windows are FK-aware: a table with a window keeps, besides the rows in its window, every
// row that a kept row of a referencing table points at — transitively, on the same snapshot —
// so the clone never has dangling references. Self-references are closed with a recursive
// query; other cycles through windowed tables cannot be closed this way and are refused.

export type CopyUnit = {
  table: CatalogTable;
  /** The table and, for a partitioned table, all its partitions. */
  relations: CatalogTable[];
  /** The workflow entry this unit comes from. */
  entry: TWorkflowTable;
  /** Columns read and written, in order (generated columns are recomputed by the target). */
  columns: CatalogColumn[];
  rules: Record<string, TRule>;
  ruleReports: ColumnRuleReport[];
  /** WHERE clause on alias t0, or null for all rows. */
  where: string | null;
  /** The window alone (for counting rows kept for references), or null. */
  windowOnly: string | null;
  copyQuery: string;
};

export type ClonePlan = {
  schemas: string[];
  /** Every relation created on the target (read units plus partitions), parents before children. */
  relations: CatalogTable[];
  units: CopyUnit[];
  /** Foreign keys that will be created (both ends in the clone). */
  foreignKeys: CatalogConstraint[];
  skipped: { kind: string; name: string; reason: string }[];
};

export function buildPlan(def: TWorkflowDefinition, catalog: Catalog, cutoffIso: string): ClonePlan {
  const clone = selectRelations(def, catalog);
  const { foreignKeys, skipped } = foreignKeysInClone(clone);
  const rules = effectiveRules(clone, foreignKeys);
  const filters = rowFilters(clone, foreignKeys, cutoffIso);
  const units = clone.rootOids.map((oid) => copyUnit(clone, oid, rules.get(oid)!, filters));
  checkSoftDeletes(units, foreignKeys, clone.byOid);
  skipped.push(...largeObjectsSkipped(catalog, clone.relations));
  // The catalog's schemas include those the selected tables depend on (dependency-schemas.ts).
  return { schemas: [...new Set([...def.tables.map((t) => t.schema), ...catalog.schemas])], relations: clone.relations, units, foreignKeys, skipped };
}

/** The relations of the clone and which unit reads each. */
type CloneRelations = {
  byOid: Map<number, CatalogTable>;
  /** Selected table oid -> its workflow entry. */
  selected: Map<number, TWorkflowTable>;
  /** The selected tables that are read (a partition whose ancestor is selected is read through it). */
  rootOids: number[];
  /** Relation oid -> the oid of the unit that reads its rows. */
  unitOf: Map<number, number>;
  /** Every relation created on the target, parents before children. */
  relations: CatalogTable[];
  colName: (relid: number, attnum: number) => string;
};

/** Selected tables and their partitions; a partition whose ancestor is also selected is read through the ancestor. */
function selectRelations(def: TWorkflowDefinition, catalog: Catalog): CloneRelations {
  const byOid = new Map(catalog.tables.map((t) => [t.oid, t]));
  const byName = new Map(catalog.tables.map((t) => [`${t.schema}\u0000${t.name}`, t]));
  const childrenOf = new Map<number, CatalogTable[]>();
  for (const t of catalog.tables) {
    if (t.parentOid !== null) {
      if (!childrenOf.has(t.parentOid)) childrenOf.set(t.parentOid, []);
      childrenOf.get(t.parentOid)!.push(t);
    }
  }
  const selected = new Map<number, TWorkflowTable>();
  for (const entry of def.tables) {
    const t = byName.get(`${entry.schema}\u0000${entry.table}`);
    if (!t) throw new EngineError("TABLE_MISSING", `Table ${entry.schema}.${entry.table} does not exist in the source database.`, "Refresh the workflow's table list.");
    selected.set(t.oid, entry);
  }
  const ancestorSelected = (t: CatalogTable): boolean => {
    for (let p = t.parentOid; p !== null; p = byOid.get(p)?.parentOid ?? null) if (selected.has(p)) return true;
    return false;
  };
  const unitOf = new Map<number, number>();
  const relations: CatalogTable[] = [];
  const addTree = (t: CatalogTable, root: number) => {
    unitOf.set(t.oid, root);
    relations.push(t);
    for (const c of childrenOf.get(t.oid) ?? []) addTree(c, root);
  };
  const rootOids: number[] = [];
  for (const oid of selected.keys()) {
    const t = byOid.get(oid)!;
    if (ancestorSelected(t)) continue;
    rootOids.push(oid);
    addTree(t, oid);
  }
  const colName = (relid: number, attnum: number) => byOid.get(relid)!.columns.find((c) => c.attnum === attnum)!.name;
  return { byOid, selected, rootOids, unitOf, relations, colName };
}

/** Foreign keys with both ends in the clone are created; the others are reported as skipped. */
function foreignKeysInClone({ relations, unitOf, byOid }: CloneRelations): { foreignKeys: CatalogConstraint[]; skipped: ClonePlan["skipped"] } {
  const skipped: ClonePlan["skipped"] = [];
  const foreignKeys: CatalogConstraint[] = [];
  for (const t of relations) {
    for (const c of t.constraints) {
      if (c.type !== "f" || c.inherited) continue;
      if (c.refRelid !== null && unitOf.has(c.refRelid)) foreignKeys.push(c);
      else {
        const ref = c.refRelid !== null ? byOid.get(c.refRelid) : undefined;
        skipped.push({ kind: "foreign key", name: `${t.schema}.${t.name}.${c.name}`, reason: `references ${ref ? `${ref.schema}.${ref.name}` : "a table"}, which is not part of the clone` });
      }
    }
  }
  return { foreignKeys, skipped };
}

type UnitRules = Map<number, Map<string, EffectiveRule<number>>>;

/**
 * Effective rules per unit: the explicit ones, then FK-following to a fixpoint (the editor shows
 * the same, lib/redaction/follow-keys.ts). Both ends of every reference must then have the same
 * rule and a rule output that matches, or the redacted references would not match: refused.
 */
function effectiveRules({ rootOids, selected, unitOf, byOid, colName }: CloneRelations, foreignKeys: CatalogConstraint[]): UnitRules {
  const problems: string[] = [];
  // Every (referencing column, referenced column) pair of every foreign key.
  const fkPairs = foreignKeys.flatMap((fk) => fk.columns.map((attnum, i) => ({
    fk,
    childUnit: unitOf.get(fk.relid)!,
    parentUnit: unitOf.get(fk.refRelid!)!,
    childCol: colName(fk.relid, attnum),
    parentCol: colName(fk.refRelid!, fk.refColumns[i]),
  })));
  const rules = followKeys(
    new Map(rootOids.map((oid) => [oid, selected.get(oid)!.rules])),
    fkPairs.map((p) => ({ child: p.childUnit, childCol: p.childCol, parent: p.parentUnit, parentCol: p.parentCol })),
  );
  for (const { fk, childUnit, parentUnit, childCol, parentCol } of fkPairs) {
    const pr = rules.get(parentUnit)!.get(parentCol)?.rule;
    const cr = rules.get(childUnit)!.get(childCol)?.rule;
    if (cr?.rule === "null") continue; // a NULL reference is always valid
    const c = byOid.get(childUnit)!;
    const p = byOid.get(parentUnit)!;
    if (JSON.stringify(pr ?? null) !== JSON.stringify(cr ?? null)) {
      problems.push(`${c.schema}.${c.name}.${childCol} references ${p.schema}.${p.name}.${parentCol} (foreign key ${fk.name}) but has ${cr ? `rule ${cr.rule}` : "no rule"} while the referenced column has ${pr ? `rule ${pr.rule}` : "no rule"}; give both the same rule (or none) so the references still match.`);
      continue;
    }
    const mismatch = cr && ruleOutputMismatch(cr, toColumnMeta(c.columns.find((x) => x.name === childCol)!), toColumnMeta(p.columns.find((x) => x.name === parentCol)!));
    if (mismatch) {
      problems.push(`${c.schema}.${c.name}.${childCol} references ${p.schema}.${p.name}.${parentCol} (foreign key ${fk.name}), but ${mismatch}, so the redacted references would not match; give ${c.schema}.${c.name}.${childCol} the same type as ${p.schema}.${p.name}.${parentCol} (or use the null rule on it).`);
    }
  }
  if (problems.length) throw new EngineError("INVALID_DEFINITION", problems.join("\n"), "Change the rules of the columns named above.");
  return rules;
}

type RowFilters = {
  /** The time window of a unit on `alias`, or null. */
  windowOf: (unit: number, alias: string) => string | null;
  /** The rows a unit keeps, on alias t0 (its window and the rows kept rows reference), or null for all rows. */
  keepOf: (unit: number) => string | null;
};

/** Row filters: each unit's window, widened to the rows that kept rows of referencing tables point at. */
function rowFilters({ selected, unitOf, byOid, colName }: CloneRelations, foreignKeys: CatalogConstraint[], cutoffIso: string): RowFilters {
  const cutoff = `(timestamptz '${cutoffIso.replaceAll("'", "")}' - interval '%d days')`;
  const windowOf = (unit: number, alias: string): string | null => {
    const f = selected.get(unit)!.filter;
    if (f.kind !== "window") return null;
    return "(" + f.columns.map((c) => `${alias}.${qi(c)} >= ${cutoff.replace("%d", String(f.days))}`).join(" OR ") + ")";
  };
  const from = (relid: number, alias: string) => `${fromItem(byOid.get(relid)!)} ${alias}`;
  const cols = (relid: number, attnums: number[], alias: string) => attnums.map((a) => `${alias}.${qi(colName(relid, a))}`).join(", ");
  const keepOf = (root: number): string | null => {
    let aliasCounter = 0;
    const keep = (unit: number, alias: string, stack: number[]): string | null => {
      const window = windowOf(unit, alias);
      if (window === null) return null;
      if (stack.includes(unit)) {
        const names = [...stack.slice(stack.indexOf(unit)), unit].map((o) => `${byOid.get(o)!.schema}.${byOid.get(o)!.name}`);
        throw new EngineError("FK_SUBSET_IMPOSSIBLE",
          `The time windows cannot keep foreign keys intact: the tables ${names.join(" -> ")} reference each other in a cycle, and each has a time window.`,
          "Copy all rows of at least one table of the cycle (no time window), or leave one of them out.");
      }
      const inner = (a: string) => {
        const terms = [windowOf(unit, a)!];
        for (const fk of foreignKeys) {
          if (unitOf.get(fk.refRelid!) !== unit) continue;
          const child = unitOf.get(fk.relid)!;
          if (child === unit) continue;
          const ca = `t${++aliasCounter}`;
          const childKeep = keep(child, ca, [...stack, unit]);
          const notNull = fk.columns.map((n) => `${ca}.${qi(colName(fk.relid, n))} IS NOT NULL`).join(" AND ");
          terms.push(`(${cols(fk.refRelid!, fk.refColumns, a)}) IN (SELECT ${cols(fk.relid, fk.columns, ca)} FROM ${from(fk.relid, ca)} WHERE ${notNull}${childKeep ? ` AND ${childKeep}` : ""})`);
        }
        return terms.length === 1 ? terms[0] : `(${terms.join(" OR ")})`;
      };
      const selfFks = foreignKeys.filter((fk) => unitOf.get(fk.relid) === unit && unitOf.get(fk.refRelid!) === unit);
      if (selfFks.length === 0) return inner(alias);
      const refKey = JSON.stringify(selfFks[0].refColumns);
      if (selfFks.some((fk) => JSON.stringify(fk.refColumns) !== refKey || fk.relid !== unit || fk.refRelid !== unit)) {
        const t = byOid.get(unit)!;
        throw new EngineError("FK_SUBSET_IMPOSSIBLE",
          `The time window of ${t.schema}.${t.name} cannot keep its self-references intact (foreign keys ${selfFks.map((f) => f.name).join(", ")} point at different keys or partitions).`,
          `Copy all rows of ${t.schema}.${t.name} (no time window).`);
      }
      // Recursive closure: rows in the window (or referenced from other tables), plus every row
      // they reference through the self-references, and so on.
      const ra = `t${++aliasCounter}`;
      const ja = `t${++aliasCounter}`;
      const refCols = selfFks[0].refColumns;
      const refNames = refCols.map((_, i) => `r${i}`);
      const fkNames = selfFks.flatMap((fk, f) => fk.columns.map((_, i) => `f${f}_${i}`));
      const select = (a: string) => [cols(unit, refCols, a), ...selfFks.map((fk) => cols(unit, fk.columns, a))].join(", ");
      const join = selfFks.map((fk, f) => `(${cols(unit, refCols, ja)}) = (${fk.columns.map((_, i) => `k.f${f}_${i}`).join(", ")})`).join(" OR ");
      return `(${cols(unit, refCols, alias)}) IN (WITH RECURSIVE k(${[...refNames, ...fkNames].join(", ")}) AS (`
        + `SELECT ${select(ra)} FROM ${from(unit, ra)} WHERE ${inner(ra)} `
        + `UNION SELECT ${select(ja)} FROM ${from(unit, ja)} JOIN k ON ${join}) SELECT ${refNames.join(", ")} FROM k)`;
    };
    return keep(root, "t0", []);
  };
  return { windowOf, keepOf };
}

/** One read: its columns (generated ones are recomputed by the target), rules with their report lines, row filter and COPY query. */
function copyUnit({ byOid, selected, relations, unitOf }: CloneRelations, oid: number, effective: Map<string, EffectiveRule<number>>, filters: RowFilters): CopyUnit {
  const t = byOid.get(oid)!;
  const entry = selected.get(oid)!;
  const columns = t.columns.filter((c) => !c.generated);
  const unitRules: Record<string, TRule> = {};
  const ruleReports: ColumnRuleReport[] = [];
  for (const c of columns) {
    const r = effective.get(c.name);
    if (!r) {
      if (entry.rules[c.name]?.rule === "keep") ruleReports.push({ column: c.name, rule: "keep", description: describeRule({ rule: "keep" }) });
      continue;
    }
    unitRules[c.name] = r.rule;
    const from = r.follows && byOid.get(r.follows.table)!;
    ruleReports.push({ column: c.name, rule: r.rule.rule, description: describeRule(r.rule), ...(from ? { detail: `follows ${from.schema}.${from.name}.${r.follows!.column}` } : {}) });
  }
  const where = filters.keepOf(oid);
  const select = columns.map((c) => `t0.${qi(c.name)}`).join(", ");
  // Rows marked deleted by the table's soft-delete column never reach the twin (delta-plan.ts).
  const soft = entry.delta?.softDelete ? softDeleted(t.columns.find((c) => c.name === entry.delta!.softDelete)!, "t0") : null;
  const read = [where, soft && `NOT ${soft}`].filter(Boolean).join(" AND ");
  return {
    table: t,
    relations: relations.filter((r) => unitOf.get(r.oid) === oid),
    entry,
    columns,
    rules: unitRules,
    ruleReports,
    where,
    windowOnly: filters.windowOf(oid, "t0"),
    copyQuery: `COPY (SELECT ${select} FROM ${fromItem(t)} t0${read ? ` WHERE ${read}` : ""}) TO STDOUT`,
  };
}

/** A soft-delete table must not be referenced by the clone's foreign keys (soft-delete-refusal.ts). */
function checkSoftDeletes(units: CopyUnit[], foreignKeys: CatalogConstraint[], byOid: Map<number, CatalogTable>) {
  const unitOf = new Map(units.flatMap((u) => u.relations.map((r) => [r.oid, u.table.oid] as const)));
  const references = foreignKeys.flatMap((k) => unitOf.has(k.refRelid!) ? [{ from: k.relid, to: unitOf.get(k.refRelid!)!, name: k.name }] : []);
  for (const u of units) {
    const column = u.entry.delta?.softDelete;
    const fk = column && softDeleteRefusal(u.table.oid, references);
    if (!fk) continue;
    const from = byOid.get(fk.from)!;
    throw new EngineError("INVALID_DEFINITION",
      `Table ${u.table.schema}.${u.table.name} has the soft-delete column ${column}, but ${softDeleteRefusedReason(`${from.schema}.${from.name}`, fk.name)}.`,
      "Remove the soft-delete column of this table (its deletes are then found by comparing keys), or leave the referencing table out.");
  }
}

/** Large objects are not copied: said once, with oid columns that would point at nothing. */
function largeObjectsSkipped(catalog: Catalog, relations: CatalogTable[]): ClonePlan["skipped"] {
  if (catalog.largeObjects === 0) return [];
  const oidColumns = relations.flatMap((r) => r.columns.filter((c) => c.typeName === "oid").map((c) => `${r.schema}.${r.name}.${c.name}`));
  const n = catalog.largeObjects;
  return [{ kind: "large objects", name: `${n} large object${n === 1 ? "" : "s"}`,
    reason: `large objects are not copied${oidColumns.length ? `: oid columns that refer to them (such as ${oidColumns.slice(0, 3).join(", ")}) point at nothing on the twin` : ""}` }];
}
