import type pg from "pg";
import type { ColumnMeta } from "../redaction/column-meta";
import { qi, qname } from "./connect";
import { readCollationsAndTextSearch, type CatalogCollation, type CatalogTextSearch } from "./collations-text-search";

// Reads what the engine needs from a source catalog: tables (incl. partitioned tables and
// their partitions), columns as ColumnMeta plus what it takes to recreate them, constraints,
// indexes, sequences and the enum/domain/composite types of the selected schemas.
//
// Definitions (defaults, checks, index and FK definitions, type names) are deparsed with
// search_path set to the selected schemas, so that objects of those schemas come out
// unqualified; on the target the same text is run with search_path set to the staging
// schemas (and after the swap to the real names), so it binds to the copies, not to the
// objects of the previous target.

export type CatalogColumn = ColumnMeta & {
  attnum: number;
  identity: "" | "a" | "d";
  /** "" | "s" (stored) | "v" (virtual, PostgreSQL 18). */
  generated: "" | "s" | "v";
  defaultExpr: string | null;
  /** Expression of a generated column. */
  generatedExpr: string | null;
  collation: string | null;
  typeOid: number;
  /** Schema of the column's type (element type for arrays): to tell user types from built-ins. */
  typeSchema: string;
  /** The relation whose row type the column has (directly, as an array element or under a domain), else null. */
  rowTypeOf: number | null;
  /** Comes from an inheritance parent only (not declared on the table itself). */
  inheritedOnly: boolean;
  /** SET STATISTICS (-1: the default). */
  statisticsTarget: number;
  /** SET STORAGE, when it differs from the type's: p (plain), e (external), m (main), x (extended). */
  storage: string | null;
  /** SET COMPRESSION: p (pglz), l (lz4), or null (the default). */
  compression: string | null;
};

export type CatalogConstraint = {
  oid: number;
  relid: number;
  name: string;
  type: "p" | "u" | "f" | "c" | "x";
  def: string;
  columns: number[];
  refRelid: number | null;
  refColumns: number[];
  deferrable: boolean;
  deferred: boolean;
  validated: boolean;
  inherited: boolean;
  /** A CHECK calling a user function whose body is bound when called (PL/pgSQL, SQL in a string):
   *  it may read other tables, so it is added after the swap, when every table is loaded under its name. */
  late: boolean;
};

export type CatalogIndex = {
  oid: number; relid: number; name: string; def: string; byConstraint: boolean; attachedToParent: boolean; unique: boolean; columns: number[]; simple: boolean;
  replicaIdentity: boolean; clustered: boolean;
  /** A partition's index attached to its parent's index: that index. */
  parentIndex: number | null;
};

export type CatalogSequence = {
  oid: number;
  schema: string;
  name: string;
  dataType: string;
  increment: string;
  min: string;
  max: string;
  start: string;
  cache: string;
  cycle: boolean;
  /** Owning column (serial or identity): relid + attnum. */
  ownedBy: { relid: number; attnum: number; identity: boolean } | null;
  /** Tables whose column defaults call it (`nextval('...')`). */
  defaultOf: number[];
};

/**
 * A table as a FROM item: a plain table reads its own rows only (ONLY: inheritance children are
 * relations of their own), a partitioned table reads its partitions. `name` defaults to the
 * table's source name (pass a staged name to read the staging copy).
 */
export function fromItem(t: Pick<CatalogTable, "kind" | "schema" | "name">, name = qname(t.schema, t.name)): string {
  return `${t.kind === "r" ? "ONLY " : ""}${name}`;
}

export type CatalogTable = {
  oid: number;
  schema: string;
  name: string;
  kind: "r" | "p";
  rowsEstimate: number | null;
  bytes: number;
  parentOid: number | null;
  partitionBound: string | null;
  partitionKey: string | null;
  /** Table inheritance (not partitioning): the parents, in order. */
  inheritsFrom: number[];
  unlogged: boolean;
  /** Storage parameters (`fillfactor=70`), the TOAST table's prefixed with `toast.`. */
  options: string[];
  /** pg_class.relreplident: d (default), n (nothing), f (full), i (index: CatalogIndex.replicaIdentity). */
  replicaIdentity: string;
  columns: CatalogColumn[];
  constraints: CatalogConstraint[];
  indexes: CatalogIndex[];
};

export type CatalogType =
  | { kind: "enum"; oid: number; schema: string; name: string; labels: string[] }
  | { kind: "domain"; oid: number; schema: string; name: string; baseType: string; baseOid: number; notNull: boolean; defaultExpr: string | null; collation: string | null; checks: { name: string; def: string }[] }
  | { kind: "composite"; oid: number; schema: string; name: string; attributes: { name: string; type: string; typeOid: number }[] }
  | { kind: "range"; oid: number; schema: string; name: string; subtype: string; opclass: string | null; collation: string | null;
      subtypeDiff: string | null; multirangeName: string | null; /** SUBTYPE_DIFF is a user function: created after the staging functions. */ callsUserFunction: boolean };

export type Catalog = {
  serverVersion: number;
  schemas: string[];
  tables: CatalogTable[];
  sequences: CatalogSequence[];
  types: CatalogType[];
  collations: CatalogCollation[];
  textSearch: CatalogTextSearch;
  /** Large objects in the source database (not copied; reported). */
  largeObjects: number;
};

const SYSTEM_SCHEMA_FILTER = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' AND n.nspname NOT LIKE 'doppel\\_%'`;

/** Every user schema of the database (for the editor), or null when the caller names them. */
export async function listUserSchemas(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query(`SELECT n.nspname FROM pg_namespace n WHERE ${SYSTEM_SCHEMA_FILTER}
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')
    ORDER BY n.nspname`);
  return rows.map((r) => r.nspname as string);
}

/**
 * Reads the catalog of `schemas`. Sets search_path on the session (see the header); call it
 * inside the snapshot transaction so that it sees the same tables as the copy.
 */
export async function readCatalog(client: pg.Client, schemas: string[]): Promise<Catalog> {
  await client.query(`SET search_path TO ${schemas.length ? schemas.map(qi).join(", ") : "pg_catalog"}`);
  const version = Number((await client.query("SHOW server_version_num")).rows[0].server_version_num);

  const tables = (await client.query(`
    SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind,
           c.reltuples::float8 AS reltuples, pg_total_relation_size(c.oid)::int8 AS bytes,
           (SELECT i.inhparent::int8 FROM pg_inherits i WHERE i.inhrelid = c.oid AND c.relispartition LIMIT 1) AS parent_oid,
           CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
           CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
           ARRAY(SELECT i.inhparent::int8 FROM pg_inherits i WHERE i.inhrelid = c.oid AND NOT c.relispartition ORDER BY i.inhseqno) AS inherits,
           c.relpersistence = 'u' AS unlogged, c.reloptions AS options,
           (SELECT tr.reloptions FROM pg_class tr WHERE tr.oid = c.reltoastrelid) AS toast_options,
           c.relreplident AS replica_identity
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[]) AND c.relpersistence <> 't'
     ORDER BY n.nspname, c.relname`, [schemas])).rows;
  const oids = tables.map((t) => t.oid);

  const columns = (await client.query(`
    WITH RECURSIVE dom(oid, base, typmod) AS (
      SELECT t.oid, t.typbasetype, t.typtypmod FROM pg_type t WHERE t.typtype = 'd'
      UNION ALL
      SELECT d.oid, t.typbasetype, CASE WHEN d.typmod >= 0 THEN d.typmod ELSE t.typtypmod END
        FROM dom d JOIN pg_type t ON t.oid = d.base WHERE t.typtype = 'd'
    ), dombase AS (
      SELECT d.oid, d.base, d.typmod FROM dom d JOIN pg_type b ON b.oid = d.base WHERE b.typtype <> 'd'
    )
    SELECT a.attrelid::int8 AS relid, a.attnum, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type_name,
           a.atttypid::int8 AS type_oid, a.attnotnull AS not_null, a.attidentity AS identity, a.attgenerated AS generated,
           pg_get_expr(d.adbin, d.adrelid) AS default_expr,
           bt.typname AS base_type, bt.typcategory AS category,
           et.typname AS element_type, et.typcategory AS element_category,
           coalesce(db.typmod, a.atttypmod) AS typmod,
           tn.nspname AS type_schema, nullif(coalesce(et.typrelid, bt.typrelid), 0)::int8 AS row_type_of, NOT a.attislocal AS inherited_only,
           coalesce(a.attstattarget::int, -1) AS stat_target, nullif(a.attstorage, t.typstorage) AS storage, nullif(a.attcompression::text, '') AS compression,
           CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN
             (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END AS collation
      FROM pg_attribute a
      JOIN pg_type t ON t.oid = a.atttypid
      LEFT JOIN dombase db ON db.oid = t.oid
      JOIN pg_type bt ON bt.oid = coalesce(db.base, t.oid)
      LEFT JOIN pg_type et ON et.oid = bt.typelem AND bt.typcategory = 'A'
      JOIN pg_namespace tn ON tn.oid = coalesce(et.typnamespace, t.typnamespace)
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
     ORDER BY a.attrelid, a.attnum`, [oids])).rows;

  const constraints = (await client.query(`
    SELECT con.oid::int8 AS oid, con.conrelid::int8 AS relid, con.conname AS name, con.contype AS type,
           pg_get_constraintdef(con.oid) AS def, con.conkey AS columns, nullif(con.confrelid, 0)::int8 AS ref_relid,
           con.confkey AS ref_columns, con.condeferrable AS deferrable, con.condeferred AS deferred, con.convalidated AS validated,
           (con.conparentid <> 0 OR NOT con.conislocal) AS inherited,
           (con.contype = 'c' AND EXISTS (SELECT 1 FROM pg_depend d JOIN pg_proc p ON p.oid = d.refobjid JOIN pg_namespace pn ON pn.oid = p.pronamespace
              WHERE d.classid = 'pg_constraint'::regclass AND d.objid = con.oid AND d.refclassid = 'pg_proc'::regclass
                AND pn.nspname NOT IN ('pg_catalog', 'information_schema') AND p.prosqlbody IS NULL)) AS late
      FROM pg_constraint con
     WHERE con.conrelid = ANY($1::oid[]) AND con.contype IN ('p', 'u', 'f', 'c', 'x')
     ORDER BY con.conrelid, con.contype, con.conname`, [oids])).rows;

  const indexes = (await client.query(`
    SELECT i.indexrelid::int8 AS oid, i.indrelid::int8 AS relid, ic.relname AS name,
           pg_get_indexdef(i.indexrelid, 0, true) AS def,
           EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')) AS by_constraint,
           ic.relispartition AS attached, i.indisunique AS is_unique, i.indkey::int2[] AS columns,
           (i.indexprs IS NULL AND i.indpred IS NULL) AS simple, i.indisreplident AS replica_identity, i.indisclustered AS clustered,
           (SELECT h.inhparent::int8 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid) AS parent_index
      FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
     WHERE i.indrelid = ANY($1::oid[])
     ORDER BY i.indrelid, ic.relname`, [oids])).rows;

  const sequences = (await client.query(`
    SELECT c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS data_type,
           s.seqincrement::text AS increment, s.seqmin::text AS min, s.seqmax::text AS max, s.seqstart::text AS start,
           s.seqcache::text AS cache, s.seqcycle AS cycle,
           d.refobjid::int8 AS owner_relid, d.refobjsubid AS owner_attnum, d.deptype = 'i' AS identity,
           ARRAY(SELECT ad.adrelid::int8 FROM pg_depend u JOIN pg_attrdef ad ON ad.oid = u.objid
                  WHERE u.classid = 'pg_attrdef'::regclass AND u.refclassid = 'pg_class'::regclass AND u.refobjid = c.oid) AS default_of
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
      LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
                            AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
     WHERE c.relkind = 'S' AND n.nspname = ANY($1::text[])
     ORDER BY n.nspname, c.relname`, [schemas])).rows;

  const typeRows = (await client.query(`
    SELECT t.oid::int8 AS oid, n.nspname AS schema, t.typname AS name, t.typtype AS kind,
           CASE WHEN t.typtype = 'e' THEN (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) END AS labels,
           CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
           t.typbasetype::int8 AS base_oid, t.typnotnull AS not_null, t.typdefault AS default_expr,
           CASE WHEN t.typtype = 'd' AND t.typcollation <> 0 AND t.typcollation <> (SELECT bt.typcollation FROM pg_type bt WHERE bt.oid = t.typbasetype) THEN
             (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = t.typcollation) END AS collation,
           CASE WHEN t.typtype = 'd' THEN (SELECT coalesce(json_agg(json_build_object('name', c.conname, 'def', pg_get_constraintdef(c.oid)) ORDER BY c.conname), '[]')
                                          FROM pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c') END AS checks,
           CASE WHEN t.typtype = 'c' THEN (SELECT json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod), 'typeOid', a.atttypid) ORDER BY a.attnum)
                                          FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END AS attributes,
           format_type(r.rngsubtype, NULL) AS subtype,
           CASE WHEN r.rngsubopc <> (SELECT oc.oid FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod
                                      WHERE am.amname = 'btree' AND oc.opcintype = r.rngsubtype AND oc.opcdefault LIMIT 1)
             THEN (SELECT quote_ident(ocn.nspname) || '.' || quote_ident(oc.opcname) FROM pg_opclass oc JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace WHERE oc.oid = r.rngsubopc) END AS opclass,
           CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> (SELECT st.typcollation FROM pg_type st WHERE st.oid = r.rngsubtype) THEN
             (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = r.rngcollation) END AS range_collation,
           nullif(r.rngsubdiff, 0)::regproc::text AS subdiff,
           (SELECT pn.nspname NOT IN ('pg_catalog', 'information_schema') FROM pg_proc p JOIN pg_namespace pn ON pn.oid = p.pronamespace WHERE p.oid = r.rngsubdiff) AS subdiff_user,
           (SELECT mt.typname FROM pg_type mt WHERE mt.oid = r.rngmultitypid) AS multirange
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace LEFT JOIN pg_range r ON r.rngtypid = t.oid
     WHERE n.nspname = ANY($1::text[]) AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c'))
       AND NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = 'pg_type'::regclass AND dep.objid = t.oid AND dep.deptype = 'e')
     ORDER BY n.nspname, t.typname`, [schemas])).rows;

  const uniqueCols = new Map<number, Set<number>>();
  const markUnique = (relid: number, cols: number[]) => {
    if (cols.length !== 1) return;
    if (!uniqueCols.has(relid)) uniqueCols.set(relid, new Set());
    uniqueCols.get(relid)!.add(cols[0]);
  };
  for (const c of constraints) if (c.type === "p" || c.type === "u") markUnique(Number(c.relid), c.columns ?? []);
  for (const i of indexes) if (i.is_unique && i.simple) markUnique(Number(i.relid), (i.columns ?? []).filter((n: number) => n > 0));

  const byRel = <T extends { relid: string | number }>(rows: T[]) => {
    const m = new Map<number, T[]>();
    for (const r of rows) {
      const k = Number(r.relid);
      if (!m.has(k)) m.set(k, []);
      m.get(k)!.push(r);
    }
    return m;
  };
  const colsByRel = byRel(columns);
  const consByRel = byRel(constraints);
  const idxByRel = byRel(indexes);

  const { collations, textSearch } = await readCollationsAndTextSearch(client, schemas);
  const largeObjects = Number((await client.query("SELECT count(*)::int8 AS n FROM pg_largeobject_metadata")).rows[0].n);

  return {
    serverVersion: version,
    schemas,
    collations,
    textSearch,
    largeObjects,
    tables: tables.map((t): CatalogTable => {
      const oid = Number(t.oid);
      const uniq = uniqueCols.get(oid) ?? new Set<number>();
      return {
        oid,
        schema: t.schema,
        name: t.name,
        kind: t.kind,
        rowsEstimate: t.reltuples >= 0 ? Math.round(t.reltuples) : null,
        bytes: Number(t.bytes),
        parentOid: t.parent_oid === null ? null : Number(t.parent_oid),
        partitionBound: t.bound,
        partitionKey: t.partkey,
        inheritsFrom: (t.inherits ?? []).map(Number),
        unlogged: t.unlogged,
        options: [...(t.options ?? []), ...(t.toast_options ?? []).map((o: string) => `toast.${o}`)],
        replicaIdentity: t.replica_identity,
        columns: (colsByRel.get(oid) ?? []).map((c): CatalogColumn => {
          const varlen = ["varchar", "bpchar"].includes(c.element_type ?? c.base_type);
          return {
            name: c.name,
            typeName: c.type_name,
            baseType: c.base_type,
            category: c.category,
            ...(c.element_type ? { elementType: c.element_type, elementCategory: c.element_category } : {}),
            maxLength: varlen && c.typmod > 4 ? c.typmod - 4 : null,
            notNull: c.not_null,
            unique: uniq.has(c.attnum),
            attnum: c.attnum,
            identity: c.identity,
            generated: c.generated,
            defaultExpr: c.generated ? null : c.default_expr,
            collation: c.collation,
            typeOid: Number(c.type_oid),
            typeSchema: c.type_schema,
            rowTypeOf: c.row_type_of === null ? null : Number(c.row_type_of),
            inheritedOnly: c.inherited_only,
            statisticsTarget: c.stat_target,
            storage: c.storage,
            compression: c.compression,
            generatedExpr: c.generated ? c.default_expr : null,
          };
        }),
        constraints: (consByRel.get(oid) ?? []).map((c) => ({
          oid: Number(c.oid),
          relid: oid,
          name: c.name,
          type: c.type,
          def: c.def,
          columns: c.columns ?? [],
          refRelid: c.ref_relid === null ? null : Number(c.ref_relid),
          refColumns: c.ref_columns ?? [],
          deferrable: c.deferrable,
          deferred: c.deferred,
          validated: c.validated,
          inherited: c.inherited,
          late: c.late,
        })),
        indexes: (idxByRel.get(oid) ?? []).map((i) => ({
          oid: Number(i.oid),
          relid: oid,
          name: i.name,
          def: i.def,
          byConstraint: i.by_constraint,
          attachedToParent: i.attached,
          unique: i.is_unique,
          columns: i.columns ?? [],
          simple: i.simple,
          replicaIdentity: i.replica_identity,
          clustered: i.clustered,
          parentIndex: i.parent_index === null ? null : Number(i.parent_index),
        })),
      };
    }),
    sequences: sequences.map((s) => ({
      oid: Number(s.oid),
      schema: s.schema,
      name: s.name,
      dataType: s.data_type,
      increment: s.increment,
      min: s.min,
      max: s.max,
      start: s.start,
      cache: s.cache,
      cycle: s.cycle,
      ownedBy: s.owner_relid === null ? null : { relid: Number(s.owner_relid), attnum: s.owner_attnum, identity: s.identity },
      defaultOf: (s.default_of ?? []).map(Number),
    })),
    types: typeRows.map((t): CatalogType => {
      const base = { oid: Number(t.oid), schema: t.schema, name: t.name };
      if (t.kind === "e") return { kind: "enum", ...base, labels: t.labels ?? [] };
      if (t.kind === "d") {
        return { kind: "domain", ...base, baseType: t.base_type, baseOid: Number(t.base_oid), notNull: t.not_null, defaultExpr: t.default_expr, collation: t.collation, checks: t.checks ?? [] };
      }
      if (t.kind === "r") {
        return { kind: "range", ...base, subtype: t.subtype, opclass: t.opclass, collation: t.range_collation, subtypeDiff: t.subdiff,
          multirangeName: t.multirange, callsUserFunction: t.subdiff_user === true };
      }
      return { kind: "composite", ...base, attributes: (t.attributes ?? []).map((a: { name: string; type: string; typeOid: number }) => ({ ...a, typeOid: Number(a.typeOid) })) };
    }),
  };
}

/**
 * reg* columns (regclass, regtype, regproc...) hold OIDs, which differ on the target, and name
 * objects that exist there only after the swap (functions, views). They are staged as text (read
 * with an empty search_path, so the names are qualified) and converted back in the swap.
 */
export function loadsAsText(col: CatalogColumn): boolean {
  return col.typeSchema === "pg_catalog" && /^reg[a-z]+$/.test(col.elementType ?? col.baseType);
}

/** Strips the catalog-only fields: what the redaction rules see. */
export function toColumnMeta(col: CatalogColumn): ColumnMeta {
  const meta: ColumnMeta = {
    name: col.name, typeName: col.typeName, baseType: col.baseType, category: col.category,
    maxLength: col.maxLength, notNull: col.notNull, unique: col.unique,
  };
  if (col.elementType) {
    meta.elementType = col.elementType;
    meta.elementCategory = col.elementCategory;
  }
  return meta;
}
