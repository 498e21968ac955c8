import { loadsAsText, type Catalog, type CatalogConstraint, type CatalogIndex, type CatalogSequence, type CatalogTable, type CatalogType } from "./catalog";
import { qi, ql, qname } from "./connect";
import type { ClonePlan } from "./plan";
import { retargetSchemas } from "./retarget-schemas";
import { collationAndTextSearchStatements } from "./collations-text-search";

// DDL that recreates the plan's relations in the staging schemas. Object names keep their
// source names; only the schema is the staging one. Definitions deparsed on the source (see
// catalog.ts) are run with search_path = the staging schemas, so unqualified references bind
// to the staged copies; names that come out qualified (shadowed by a same-named object of
// another selected schema) are rewritten to the staging schemas (retarget-schemas.ts).

export type Staging = {
  /** Source schema -> staging schema. */
  names: Map<string, string>;
  /** Source schema -> name the previous target schema gets during the swap (dropped afterwards). */
  oldNames: Map<string, string>;
};

export function stagingNames(schemas: string[], runId: string): Staging {
  return {
    names: new Map(schemas.map((s, i) => [s, `doppel_stage_${runId}_${i}`])),
    oldNames: new Map(schemas.map((s, i) => [s, `doppel_old_${runId}_${i}`])),
  };
}

const stageOf = (st: Staging, schema: string) => {
  const s = st.names.get(schema);
  if (!s) throw new Error(`schema ${schema} is not part of the clone`);
  return s;
};

/**
 * Statements before the data: schemas, `afterSchemas` (extensions), collations and text search
 * configurations, types, `afterTypes` (functions
 * the tables' CHECKs and defaults call), domain defaults and CHECKs, sequences, tables (with NOT
 * NULL and CHECKs, no keys or indexes; inheritance children INHERITS their cloned parents).
 */
export function preDataStatements(plan: ClonePlan, catalog: Catalog, st: Staging, targetMajor: number,
  extra: { afterSchemas?: string[]; afterTypes?: string[] } = {}): string[] {
  const head: string[] = [];
  for (const s of plan.schemas) head.push(`CREATE SCHEMA ${qi(stageOf(st, s))}`);
  head.push(...(extra.afterSchemas ?? []));
  const out: string[] = collationAndTextSearchStatements(catalog, (s) => stageOf(st, s));
  const afterFunctions = (t: CatalogType) => t.kind === "range" && t.callsUserFunction;
  for (const t of orderTypes(catalog.types.filter((x) => !afterFunctions(x)))) out.push(typeStatement(t, st));
  out.push(...(extra.afterTypes ?? []));
  for (const t of catalog.types.filter(afterFunctions)) out.push(typeStatement(t, st));
  // A domain's default and CHECKs may call functions, which may take domains as arguments: the
  // domains are created bare, then get these after the functions.
  for (const t of catalog.types) {
    if (t.kind !== "domain") continue;
    const name = qname(stageOf(st, t.schema), t.name);
    if (t.defaultExpr) out.push(`ALTER DOMAIN ${name} SET DEFAULT ${t.defaultExpr}`);
    for (const c of t.checks) out.push(`ALTER DOMAIN ${name} ADD CONSTRAINT ${qi(c.name)} ${c.def}`);
  }
  const inClone = new Set(plan.relations.map((r) => r.oid));
  const identitySeqs = new Map<string, (typeof catalog.sequences)[number]>();
  for (const seq of catalog.sequences) {
    if (seq.ownedBy?.identity) {
      identitySeqs.set(`${seq.ownedBy.relid}:${seq.ownedBy.attnum}`, seq);
      continue;
    }
    if (!sequenceInClone(seq, inClone)) continue;
    out.push(`CREATE SEQUENCE ${qname(stageOf(st, seq.schema), seq.name)} AS ${seq.dataType} ${sequenceOptions(seq)}`);
  }
  for (const t of orderTables(plan.relations)) {
    const name = qname(stageOf(st, t.schema), t.name);
    const parentInClone = t.parentOid !== null && inClone.has(t.parentOid);
    const partitionBy = t.partitionKey ? ` PARTITION BY ${t.partitionKey}` : "";
    const localChecks = t.constraints.filter((c) => c.type === "c" && !c.inherited);
    const unlogged = t.unlogged ? "UNLOGGED " : "";
    const withOptions = t.options.length && t.kind === "r" ? ` WITH (${t.options.join(", ")})` : "";
    if (parentInClone) {
      const parent = plan.relations.find((r) => r.oid === t.parentOid)!;
      out.push(`CREATE ${unlogged}TABLE ${name} PARTITION OF ${qname(stageOf(st, parent.schema), parent.name)} ${t.partitionBound}${partitionBy}${withOptions}`);
      for (const c of localChecks) if (!c.late) out.push(`ALTER TABLE ${name} ADD CONSTRAINT ${qi(c.name)} ${c.def}`);
      out.push(...columnSettingStatements(t, name));
      continue;
    }
    // An inheritance child whose parents are all cloned is created INHERITS (parents): inherited
    // columns and CHECKs (and on 18 their NOT NULL constraints' names) come from the parents.
    const parents = t.inheritsFrom.map((p) => plan.relations.find((r) => r.oid === p));
    const inherits = parents.length > 0 && parents.every(Boolean);
    const items = t.columns.filter((c) => !(inherits && c.inheritedOnly)).map((c) => {
      let col = `${qi(c.name)} ${loadsAsText(c) ? (c.elementType ? "text[]" : "text") : c.typeName}`;
      if (c.collation) col += ` COLLATE ${c.collation}`;
      if (c.generated) {
        col += ` GENERATED ALWAYS AS (${c.generatedExpr}) ${c.generated === "v" && targetMajor >= 18 ? "VIRTUAL" : "STORED"}`;
      } else if (c.identity) {
        const seq = identitySeqs.get(`${t.oid}:${c.attnum}`);
        const opts = seq ? ` (SEQUENCE NAME ${qname(stageOf(st, seq.schema), seq.name)} ${sequenceOptions(seq)})` : "";
        col += ` GENERATED ${c.identity === "a" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${opts}`;
      }
      if (c.notNull) col += " NOT NULL";
      return col;
    });
    // A child of a parent that is not cloned is a table of its own, with the parents' CHECKs.
    const inheritedChecks = t.inheritsFrom.length && !inherits ? t.constraints.filter((c) => c.type === "c" && c.inherited) : [];
    for (const c of [...localChecks, ...inheritedChecks]) if (c.validated && !c.late) items.push(`CONSTRAINT ${qi(c.name)} ${c.def}`);
    const inheritsClause = inherits ? ` INHERITS (${parents.map((p) => qname(stageOf(st, p!.schema), p!.name)).join(", ")})` : "";
    out.push(`CREATE ${unlogged}TABLE ${name} (${items.join(", ")})${inheritsClause}${partitionBy}${withOptions}`);
    out.push(...columnSettingStatements(t, name));
  }
  return [...head, ...out.map((sql) => retargetSchemas(sql, st.names))];
}

const STORAGE = { p: "PLAIN", e: "EXTERNAL", m: "MAIN", x: "EXTENDED" } as Record<string, string>;
const COMPRESSION = { p: "pglz", l: "lz4" } as Record<string, string>;

/** SET STATISTICS / STORAGE / COMPRESSION of columns that differ from the defaults. */
function columnSettingStatements(t: CatalogTable, name: string): string[] {
  const out: string[] = [];
  for (const c of t.columns) {
    const set: string[] = [];
    if (c.statisticsTarget >= 0) set.push(`SET STATISTICS ${c.statisticsTarget}`);
    if (c.storage && STORAGE[c.storage]) set.push(`SET STORAGE ${STORAGE[c.storage]}`);
    if (c.compression && COMPRESSION[c.compression]) set.push(`SET COMPRESSION ${COMPRESSION[c.compression]}`);
    if (set.length) out.push(`ALTER TABLE ${name} ${set.map((x) => `ALTER COLUMN ${qi(c.name)} ${x}`).join(", ")}`);
  }
  return out;
}

export type IndexTask = { label: string; relid: number; weight: number; sql: string[]; /** Adds a primary/unique key or a unique index (foreign keys wait for these). */ key: boolean };

/**
 * After the load: keys, exclusion constraints, indexes and not-yet-validated checks, as tasks
 * that may run in parallel. On a plain table every index (a key's too) is its own task: a key
 * is built as a unique index (SHARE lock, so several indexes of one table build at once) and
 * then attached with ADD CONSTRAINT ... USING INDEX. Partitioned tables cannot attach an index
 * that way, so their keys are added directly, in one task per table.
 */
export function indexTasks(t: CatalogTable, st: Staging, unitRelations: CatalogTable[] = [t]): IndexTask[] {
  const name = qname(stageOf(st, t.schema), t.name);
  const label = `${t.schema}.${t.name}`;
  const keys = t.constraints.filter((c) => !c.inherited && (c.type === "p" || c.type === "u" || c.type === "x"));
  keys.sort((a, b) => (a.type === "p" ? -1 : 0) - (b.type === "p" ? -1 : 0));
  const tasks: IndexTask[] = [];
  const serial: string[] = [];
  for (const c of keys) {
    const index = t.indexes.find((i) => i.byConstraint && i.name === c.name);
    if (t.kind === "r" && c.type !== "x" && index) {
      const deferrable = c.deferrable ? ` DEFERRABLE INITIALLY ${c.deferred ? "DEFERRED" : "IMMEDIATE"}` : "";
      tasks.push({ label, relid: t.oid, key: true, weight: t.bytes * (c.type === "p" ? 1.1 : 1), sql: [
        retargetIndex(index, t, st),
        `ALTER TABLE ${name} ADD CONSTRAINT ${qi(c.name)} ${c.type === "p" ? "PRIMARY KEY" : "UNIQUE"} USING INDEX ${qi(index.name)}${deferrable}`,
      ] });
    } else {
      serial.push(`ALTER TABLE ${name} ADD CONSTRAINT ${qi(c.name)} ${c.def}`);
    }
  }
  // A unique index is what a foreign key may reference instead of a key constraint: foreign keys wait for it too.
  const plain = t.indexes.filter((i) => !i.byConstraint && !i.attachedToParent);
  if (t.kind === "r") for (const i of plain) tasks.push({ label, relid: t.oid, key: i.unique, weight: t.bytes, sql: [retargetIndex(i, t, st)] });
  else for (const i of plain) serial.push(...partitionIndexes(i, unitRelations, st), retargetIndex(i, t, st));
  for (const c of t.constraints) if (c.type === "c" && !c.inherited && !c.validated && t.parentOid === null) serial.push(`ALTER TABLE ${name} ADD CONSTRAINT ${qi(c.name)} ${c.def}`);
  if (serial.length) tasks.push({ label, relid: t.oid, key: true, weight: t.bytes * 2, sql: serial });
  for (const task of tasks) task.sql = task.sql.map((sql) => retargetSchemas(sql, st.names));
  return tasks;
}

/**
 * The partitions' indexes attached to a partitioned table's index, deepest first: built under
 * their own names before the parent's index, which then attaches them instead of creating
 * indexes with names of the server's choosing.
 */
function partitionIndexes(parent: CatalogIndex, relations: CatalogTable[], st: Staging): string[] {
  const out: string[] = [];
  const visit = (idx: CatalogIndex) => {
    for (const r of relations) {
      for (const child of r.indexes) {
        if (child.parentIndex !== idx.oid) continue;
        visit(child);
        out.push(retargetIndex(child, r, st));
      }
    }
  };
  visit(parent);
  return out;
}

export function foreignKeyStatement(fk: CatalogConstraint, table: CatalogTable, st: Staging): string {
  return retargetSchemas(`ALTER TABLE ${qname(stageOf(st, table.schema), table.name)} ADD CONSTRAINT ${qi(fk.name)} ${fk.def}`, st.names);
}

/** Tables after the tables whose row types their columns use, partitions and inheritance children after their parents; else in plan order. */
function orderTables(tables: CatalogTable[]): CatalogTable[] {
  const pending = new Set(tables.map((t) => t.oid));
  const out: CatalogTable[] = [];
  while (out.length < tables.length) {
    const before = out.length;
    for (const t of tables) {
      if (!pending.has(t.oid)) continue;
      const waits = (t.parentOid !== null && pending.has(t.parentOid)) || t.inheritsFrom.some((p) => pending.has(p))
        || t.columns.some((c) => c.rowTypeOf !== null && c.rowTypeOf !== t.oid && pending.has(c.rowTypeOf));
      if (waits) continue;
      pending.delete(t.oid);
      out.push(t);
    }
    // A cycle cannot exist on the source (PostgreSQL refuses it); keep going rather than loop.
    if (out.length === before) for (const t of tables) if (pending.delete(t.oid)) out.push(t);
  }
  return out;
}

/** Serial sequences belong to their column, so they are dropped with it. */
export function sequenceOwnershipStatements(plan: ClonePlan, catalog: Catalog, st: Staging): string[] {
  const rel = new Map(plan.relations.map((r) => [r.oid, r]));
  const out: string[] = [];
  for (const seq of catalog.sequences) {
    if (!seq.ownedBy || seq.ownedBy.identity) continue;
    const t = rel.get(seq.ownedBy.relid);
    if (!t) continue;
    const col = t.columns.find((c) => c.attnum === seq.ownedBy!.attnum);
    if (!col) continue;
    out.push(`ALTER SEQUENCE ${qname(stageOf(st, seq.schema), seq.name)} OWNED BY ${qname(stageOf(st, t.schema), t.name)}.${qi(col.name)}`);
  }
  return out;
}

/**
 * The head of a DDL statement, up to the object it creates or alters, with staging schemas named
 * as their source schemas: `CREATE TABLE public.users`. Never the definition (error messages).
 */
export function describeStatement(sql: string, st: Staging | null): string {
  const m = /^\s*((?:CREATE|ALTER|COMMENT ON|GRANT|REVOKE|SELECT|REFRESH)(?: OR REPLACE)?(?: [A-Z]+){0,3}) ((?:"(?:[^"]|"")+"|[^\s(."]+)(?:\.(?:"(?:[^"]|"")+"|[^\s(."]+))?)/.exec(sql);
  if (!m) return sql.trim().split(/\s+/).slice(0, 2).join(" ");
  let name = m[2];
  for (const [source, staging] of st?.names ?? []) name = name.replace(new RegExp(`^"?${staging}"?\\.`), `${qi(source)}.`);
  return `${m[1]} ${name}`;
}

/**
 * Sequences the clone copies: free-standing ones, those owned by a cloned table, and those owned by
 * another table but called by a cloned table's default (created without an owner).
 */
export function sequenceInClone(seq: CatalogSequence, inClone: Set<number>): boolean {
  return !seq.ownedBy || inClone.has(seq.ownedBy.relid) || seq.defaultOf.some((relid) => inClone.has(relid));
}

export function setvalStatement(schema: string, name: string, lastValue: string, isCalled: boolean, st: Staging): string {
  return `SELECT setval(${ql(qname(stageOf(st, schema), name))}::regclass, ${BigInt(lastValue).toString()}, ${isCalled ? "true" : "false"})`;
}

function sequenceOptions(seq: { increment: string; min: string; max: string; start: string; cache: string; cycle: boolean }): string {
  return `INCREMENT BY ${seq.increment} MINVALUE ${seq.min} MAXVALUE ${seq.max} START WITH ${seq.start} CACHE ${seq.cache} ${seq.cycle ? "CYCLE" : "NO CYCLE"}`;
}

function typeStatement(t: CatalogType, st: Staging): string {
  const name = qname(stageOf(st, t.schema), t.name);
  switch (t.kind) {
    case "enum":
      return `CREATE TYPE ${name} AS ENUM (${t.labels.map(ql).join(", ")})`;
    case "composite":
      return `CREATE TYPE ${name} AS (${t.attributes.map((a) => `${qi(a.name)} ${a.type}`).join(", ")})`;
    case "range": {
      const opts = [`SUBTYPE = ${t.subtype}`];
      if (t.opclass) opts.push(`SUBTYPE_OPCLASS = ${t.opclass}`);
      if (t.collation) opts.push(`COLLATION = ${t.collation}`);
      if (t.subtypeDiff) opts.push(`SUBTYPE_DIFF = ${t.subtypeDiff}`);
      if (t.multirangeName) opts.push(`MULTIRANGE_TYPE_NAME = ${qname(stageOf(st, t.schema), t.multirangeName)}`);
      return `CREATE TYPE ${name} AS RANGE (${opts.join(", ")})`;
    }
    case "domain": {
      let sql = `CREATE DOMAIN ${name} AS ${t.baseType}`;
      if (t.collation) sql += ` COLLATE ${t.collation}`;
      if (t.notNull) sql += " NOT NULL";
      return sql;
    }
  }
}

/** Enums first, then domains and composites after the types their definitions mention. */
function orderTypes(types: CatalogType[]): CatalogType[] {
  const mentions = (t: CatalogType): string[] =>
    t.kind === "domain" ? [t.baseType] : t.kind === "composite" ? t.attributes.map((a) => a.type) : t.kind === "range" ? [t.subtype] : [];
  const refersTo = (text: string, other: CatalogType) => {
    const bare = text.replace(/(\[\])+$/, "").replace(/\(.*\)$/, "");
    return bare === other.name || bare === qi(other.name) || bare.endsWith(`.${other.name}`) || bare.endsWith(`.${qi(other.name)}`);
  };
  const done: CatalogType[] = types.filter((t) => t.kind === "enum");
  let pending = types.filter((t) => t.kind !== "enum");
  while (pending.length) {
    const ready = pending.filter((t) => !mentions(t).some((m) => pending.some((o) => o !== t && refersTo(m, o))));
    const next = ready.length ? ready : [pending[0]];
    done.push(...next);
    pending = pending.filter((t) => !next.includes(t));
  }
  return done;
}

/**
 * pg_get_indexdef(oid, 0, true) gives `CREATE [UNIQUE] INDEX name ON [ONLY] table USING ...`.
 * Recreate it on the staged table; ONLY is dropped so that an index of a partitioned table is
 * built on its partitions too (their own copies of it are then skipped).
 */
export function retargetIndex(i: CatalogIndex, t: CatalogTable, st: Staging): string {
  const m = /^CREATE (UNIQUE )?INDEX (?:"(?:[^"]|"")+"|\S+) ON (?:ONLY )?((?:"(?:[^"]|"")+"|[^\s."]+)(?:\.(?:"(?:[^"]|"")+"|[^\s."]+))?) USING /.exec(i.def);
  if (!m) throw new Error(`Unexpected index definition for index ${i.name}`);
  return `CREATE ${m[1] ?? ""}INDEX ${qi(i.name)} ON ${qname(stageOf(st, t.schema), t.name)} USING ${i.def.slice(m[0].length)}`;
}
