import type pg from "pg";
import { qi } from "../connect";
import { readAggregateDefinitions, readCasts, readOperators } from "./read-generated-objects";
import type {
  AclEntry, CommentItem, Dependency, ExtensionUse, FunctionObject, GeneratedObject, PolicyObject, PrivilegeItem,
  RuleObject, SchemaObjects, TableSecurity, TriggerObject, ViewObject,
} from "./types";

// Reads the schema objects of the selected schemas from the source catalogs. Runs on the engine's
// snapshot connection (REPEATABLE READ READ ONLY), catalog reads only. search_path is emptied for
// the duration (and restored), so that every name the server prints — regclass, regprocedure,
// pg_get_viewdef, pg_get_triggerdef, pg_get_expr — comes out schema-qualified.
//
// Catalog columns used exist in PostgreSQL 13 and later (tgparentid is the newest: 13); the
// product supports 15..18.

export type Scope = { schemas: string[]; tables: { schema: string; table: string }[] };

const CATALOG_SCHEMAS = new Set(["pg_catalog", "information_schema"]);

type Row = Record<string, unknown>;

export async function readSchemaObjects(source: pg.ClientBase, scope: Scope): Promise<SchemaObjects> {
  const { rows: [saved] } = await source.query<{ search_path: string; v: string }>(
    "SELECT current_setting('search_path') AS search_path, current_setting('server_version_num') AS v");
  await source.query("SELECT set_config('search_path', '', true)");
  try {
    return await readAll(source, scope, Math.floor(Number(saved.v) / 10000));
  } finally {
    await source.query("SELECT set_config('search_path', $1, true)", [saved.search_path]);
  }
}

/**
 * In order: what the engine copies anyway (tables, sequences, indexes, types), the candidate
 * objects, their dependencies (deciding what is skipped and why), the objects built from those,
 * comments, privileges, and what the tables need before they are created.
 */
async function readAll(db: pg.ClientBase, scope: Scope, major: number): Promise<SchemaObjects> {
  const q: Query = async (sql, params = []) => (await db.query(sql, params)).rows;
  const schemas = [...new Set(scope.schemas)];
  const sel = await readSelection(q, scope, schemas);
  const cand = await readCandidates(db, q, sel);
  const depsOf = await readDependencies(db, q, sel, cand);
  const { functions, generated } = functionObjects(cand, depsOf);
  const views = await readViews(q, cand, depsOf);
  const { rules, triggers, policies } = tableObjects(cand, depsOf);
  const tableSecurity: TableSecurity[] = sel.selected
    .filter((t) => t.rls || t.force)
    .map((t) => ({ table: t.name, enabled: t.rls, forced: t.force }));
  const comments = await readComments(db, { schemas, selOids: sel.selOids, seqOids: [...sel.seqSet], viewOids: cand.viewOids, fnOids: [...cand.fnSet],
    triggerOids: cand.triggerRows.map((t) => t.oid), ruleOids: cand.ruleRows.map((r) => r.oid), policyOids: cand.policyRows.map((p) => p.oid),
    typeOids: sel.neededTypes.filter((t) => schemas.includes(t.schema)).map((t) => t.oid) });
  const privileges = await readPrivileges(q, sel, cand);
  const { extensions, functionsNeededByTables } = await readTableNeeds(db, q, sel, cand, functions, generated);
  return {
    sourceServerMajor: major,
    schemas,
    extensions,
    functions,
    generated,
    views,
    rules,
    triggers,
    tableSecurity,
    policies,
    comments,
    privileges,
    functionsNeededByTables,
  };
}

type Query = <T extends Row>(sql: string, params?: unknown[]) => Promise<T[]>;

const notExtensionMember = (cat: string, alias: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${cat}'::regclass AND e.objid = ${alias}.oid AND e.deptype = 'e')`;

/** What the engine copies besides the schema objects: tables, their sequences, indexes and types. */
type Selection = Awaited<ReturnType<typeof readSelection>>;

async function readSelection(q: Query, scope: Scope, schemas: string[]) {
  // Selected tables and, recursively, their partitions (the engine keeps the partitioning).
  const selected = await q<{ oid: number; name: string; relkind: string; owner: string; rls: boolean; force: boolean; acl: AclEntry[] | null }>(`
    WITH RECURSIVE sel AS (
      SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN unnest($1::text[], $2::text[]) AS t(s, r) ON n.nspname = t.s AND c.relname = t.r
      WHERE c.relkind IN ('r', 'p', 'f')
      UNION
      SELECT i.inhrelid FROM pg_inherits i JOIN sel ON i.inhparent = sel.oid
      JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relispartition
    )
    SELECT c.oid, c.oid::regclass::text AS name, c.relkind, pg_get_userbyid(c.relowner) AS owner,
      c.relrowsecurity AS rls, c.relforcerowsecurity AS force, ${aclJson("c.relacl")} AS acl
    FROM sel JOIN pg_class c ON c.oid = sel.oid ORDER BY 2`,
    [scope.tables.map((t) => t.schema), scope.tables.map((t) => t.table)]);
  const selOids = selected.map((r) => r.oid);

  // Sequences the engine copies: those of the selected schemas, except the ones owned by a table
  // that is not selected (the serial or identity of an unselected table).
  const sequences = await q<{ oid: number; name: string; owner: string; owned: boolean; acl: AclEntry[] | null }>(`
    SELECT c.oid, c.oid::regclass::text AS name, pg_get_userbyid(c.relowner) AS owner,
      EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')) AS owned,
      ${aclJson("c.relacl")} AS acl
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'S' AND n.nspname = ANY($2::text[]) AND ${notExtensionMember("pg_class", "c")}
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjid <> ALL($1::oid[]))
    ORDER BY 2`, [selOids, schemas]);

  const indexes = await q<{ oid: number; relid: number }>(`
    SELECT i.indexrelid AS oid, i.indrelid AS relid FROM pg_index i WHERE i.indrelid = ANY($1::oid[])`, [selOids]);

  // Enum, domain and range types the selected tables need (through domains and arrays): the engine creates these.
  const neededTypes = await q<{ oid: number; name: string; typtype: string; schema: string; owner: string; acl: AclEntry[] | null }>(`
    WITH RECURSIVE t(oid) AS (
      SELECT a.atttypid FROM pg_attribute a WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
      UNION
      SELECT CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.typelem END
      FROM pg_type ty JOIN t ON ty.oid = t.oid
      WHERE ty.typtype = 'd' OR (ty.typelem <> 0 AND ty.typlen = -1)
    )
    SELECT ty.oid, ty.oid::regtype::text AS name, ty.typtype, n.nspname AS schema,
      pg_get_userbyid(ty.typowner) AS owner, ${aclJson("ty.typacl")} AS acl
    FROM t JOIN pg_type ty ON ty.oid = t.oid JOIN pg_namespace n ON n.oid = ty.typnamespace
    WHERE ty.typtype IN ('e', 'd', 'r') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
    ORDER BY 2`, [selOids]);

  return {
    schemas, selected, selOids, sequences, indexes, neededTypes,
    selSet: new Set(selOids), seqSet: new Set(sequences.map((s) => s.oid)),
    indexSet: new Set(indexes.map((i) => i.oid)), typeSet: new Set(neededTypes.map((t) => t.oid)),
  };
}

/** The schema objects that may be copied: views, functions, operators, casts of the schemas; triggers, rules and policies of the relations. */
type Candidates = Awaited<ReturnType<typeof readCandidates>>;

async function readCandidates(db: pg.ClientBase, q: Query, { schemas, selOids }: Selection) {
  const viewRows = await q<{ oid: number; name: string; relkind: string; options: string[] | null; populated: boolean;
    definition: string; owner: string; acl: AclEntry[] | null; rule_oid: number }>(`
    SELECT c.oid, c.oid::regclass::text AS name, c.relkind, c.reloptions AS options, c.relispopulated AS populated,
      pg_get_viewdef(c.oid) AS definition, pg_get_userbyid(c.relowner) AS owner, ${aclJson("c.relacl")} AS acl,
      r.oid AS rule_oid
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_rewrite r ON r.ev_class = c.oid AND r.rulename = '_RETURN'
    WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1::text[]) AND ${notExtensionMember("pg_class", "c")}
    ORDER BY 2`, [schemas]);
  const viewOids = viewRows.map((v) => v.oid);

  const fnRows = await q<{ oid: number; identity: string; prokind: string; language: string; definition: string | null;
    header: string; quoted_name: string; schema: string; owner: string; acl: AclEntry[] | null }>(`
    SELECT p.oid, p.oid::regprocedure::text AS identity, p.prokind, l.lanname AS language,
      CASE WHEN p.prokind <> 'a' THEN pg_get_functiondef(p.oid) END AS definition,
      format('CREATE OR REPLACE %s %s(', CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
        quote_ident(n.nspname) || '.' || quote_ident(p.proname)) AS header, quote_ident(p.proname) AS quoted_name,
      n.nspname AS schema, pg_get_userbyid(p.proowner) AS owner, ${aclJson("p.proacl")} AS acl
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
    WHERE n.nspname = ANY($1::text[]) AND ${notExtensionMember("pg_proc", "p")}
      -- constructors of range and multirange types come with their type
      AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass AND i.objid = p.oid AND i.deptype = 'i')
    ORDER BY 2`, [schemas]);
  const aggregateDefinitions = await readAggregateDefinitions(db, fnRows.filter((f) => f.prokind === "a").map((f) => f.oid));
  const operatorRows = await readOperators(db, schemas);
  const castRows = await readCasts(db, schemas);

  const relWithObjects = [...selOids, ...viewOids];
  const triggerRows = await q<{ oid: number; name: string; table: string; relid: number; definition: string; enabled: string }>(`
    SELECT t.oid, t.tgname AS name, t.tgrelid AS relid, t.tgrelid::regclass::text AS table, pg_get_triggerdef(t.oid) AS definition,
      t.tgenabled AS enabled
    FROM pg_trigger t
    WHERE t.tgrelid = ANY($1::oid[]) AND NOT t.tgisinternal AND t.tgparentid = 0
    ORDER BY 3, 2`, [relWithObjects]);

  const ruleRows = await q<{ oid: number; name: string; table: string; relid: number; definition: string }>(`
    SELECT r.oid, r.rulename AS name, r.ev_class::regclass::text AS table, r.ev_class AS relid, pg_get_ruledef(r.oid) AS definition
    FROM pg_rewrite r WHERE r.ev_class = ANY($1::oid[]) AND r.rulename <> '_RETURN'
    ORDER BY 3, 2`, [relWithObjects]);

  const policyRows = await q<{ oid: number; name: string; table: string; permissive: boolean; cmd: string;
    roles: (string | null)[]; using: string | null; with_check: string | null }>(`
    SELECT p.oid, p.polname AS name, p.polrelid::regclass::text AS table, p.polpermissive AS permissive, p.polcmd AS cmd,
      ARRAY(SELECT CASE WHEN r = 0 THEN NULL ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) AS r) AS roles,
      pg_get_expr(p.polqual, p.polrelid) AS using, pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
    FROM pg_policy p WHERE p.polrelid = ANY($1::oid[]) ORDER BY 3, 2`, [selOids]);

  return {
    viewRows, viewOids, fnRows, aggregateDefinitions, operatorRows, castRows, relWithObjects, triggerRows, ruleRows, policyRows,
    viewSet: new Set(viewOids), fnSet: new Set(fnRows.map((f) => f.oid)),
    opSet: new Set(operatorRows.map((o) => o.oid)), castSet: new Set(castRows.map((o) => o.oid)),
  };
}

/** An object's dependencies: on another copied object (ordering), or on something missing (the object is skipped, with the reason). */
type DepsOf = (cat: string, objid: number, selfKeys?: string[]) => Dependency[];

/** The dependencies of the candidates (functions, views via their _RETURN rule, rules, triggers, policies, operators, casts). */
async function readDependencies(db: pg.ClientBase, q: Query, sel: Selection, cand: Candidates): Promise<DepsOf> {
  const edges = await q<{ cat: string; objid: number; refclassid: number; refobjid: number }>(`
    SELECT d.classid::regclass::text AS cat, d.objid, d.refclassid, d.refobjid
    FROM pg_depend d
    WHERE d.deptype = 'n' AND (
         (d.classid = 'pg_proc'::regclass AND d.objid = ANY($1::oid[]))
      OR (d.classid = 'pg_rewrite'::regclass AND d.objid = ANY($2::oid[]))
      OR (d.classid = 'pg_trigger'::regclass AND d.objid = ANY($3::oid[]))
      OR (d.classid = 'pg_policy'::regclass AND d.objid = ANY($4::oid[]))
      OR (d.classid = 'pg_operator'::regclass AND d.objid = ANY($5::oid[]))
      OR (d.classid = 'pg_cast'::regclass AND d.objid = ANY($6::oid[])))`,
    [[...cand.fnSet], [...cand.viewRows.map((v) => v.rule_oid), ...cand.ruleRows.map((r) => r.oid)],
      cand.triggerRows.map((t) => t.oid), cand.policyRows.map((p) => p.oid), [...cand.opSet], [...cand.castSet]]);
  const refs = await describeRefs(db, edges.map((e) => ({ cat: e.refclassid, oid: e.refobjid })));

  const classify = (cat: number, oid: number): Dependency | null => {
    const ref = refs.get(`${cat}:${oid}`);
    if (!ref) return null;
    const builtIn = ref.extension || (ref.schema !== null && CATALOG_SCHEMAS.has(ref.schema));
    switch (ref.cat) {
      case "pg_class":
        if (sel.selSet.has(ref.oid) || sel.seqSet.has(ref.oid) || sel.indexSet.has(ref.oid) || builtIn) return null;
        if (cand.viewSet.has(ref.oid)) return { on: "object", key: `rel:${ref.oid}` };
        return { on: "missing", reason: `uses ${ref.description}, which is not selected` };
      case "pg_proc":
        if (cand.fnSet.has(ref.oid)) return { on: "object", key: `fn:${ref.oid}` };
        if (builtIn) return null;
        return { on: "missing", reason: `uses ${ref.description}, which is not in a selected schema` };
      case "pg_operator":
        if (cand.opSet.has(ref.oid)) return { on: "object", key: `op:${ref.oid}` };
        if (builtIn) return null;
        return { on: "missing", reason: `uses ${ref.description}, which is not in a selected schema` };
      case "pg_cast":
        if (cand.castSet.has(ref.oid)) return { on: "object", key: `cast:${ref.oid}` };
        return builtIn ? null : { on: "missing", reason: `uses ${ref.description}, which is not copied` };
      case "pg_type":
        if (builtIn || sel.typeSet.has(ref.oid)) return null;
        return { on: "missing", reason: `uses ${ref.description}, which no selected table uses (only the types the selected tables need are copied)` };
      case "pg_constraint":
        // A view's GROUP BY may rely on a primary key (functional dependency): the engine copies it.
        if (builtIn || (ref.tableOid !== null && sel.selSet.has(ref.tableOid))) return null;
        return { on: "missing", reason: `uses ${ref.description}, which is not selected` };
      case "pg_namespace": case "pg_language": case "pg_extension": case "pg_am":
        return null;
      default:
        return builtIn ? null : { on: "missing", reason: `uses ${ref.description}, which Doppel does not copy` };
    }
  };
  const edgesOf = groupBy(edges, (e) => `${e.cat.replace(/^pg_catalog\./, "")}:${e.objid}`);
  return (cat, objid, selfKeys = []) => {
    const out: Dependency[] = [];
    const seen = new Set<string>();
    for (const e of edgesOf.get(`${cat}:${objid}`) ?? []) {
      const d = classify(e.refclassid, e.refobjid);
      if (!d) continue;
      const id = d.on === "object" ? d.key : d.reason;
      if (seen.has(id) || (d.on === "object" && selfKeys.includes(d.key))) continue;
      seen.add(id);
      out.push(d);
    }
    return out;
  };
}

function functionObjects({ fnRows, aggregateDefinitions, operatorRows, castRows }: Candidates, depsOf: DepsOf) {
  const functions: FunctionObject[] = fnRows.map((f) => ({
    key: `fn:${f.oid}`,
    name: f.identity,
    identity: f.identity,
    kind: ({ f: "function", p: "procedure", a: "aggregate", w: "window function" } as const)[f.prokind as "f"] ?? "function",
    language: f.language,
    definition: f.prokind === "a" ? aggregateDefinitions.get(f.oid) ?? null : f.definition,
    header: f.header,
    quotedName: f.quoted_name,
    schema: f.schema,
    deps: depsOf("pg_proc", f.oid, [`fn:${f.oid}`]),
    unsupported: f.prokind !== "a" && ["c", "internal"].includes(f.language) ? `${f.language === "c" ? "C-language" : "internal"} functions need a shared library on the target server and are not copied`
      : undefined,
  }));

  const generated: GeneratedObject[] = [
    ...operatorRows.map((o) => ({ key: `op:${o.oid}`, name: o.name, kind: "operator" as const, definition: o.definition,
      deps: depsOf("pg_operator", o.oid, [`op:${o.oid}`]), ...(o.unsupported ? { unsupported: o.unsupported } : {}) })),
    ...castRows.map((o) => ({ key: `cast:${o.oid}`, name: o.name, kind: "cast" as const, definition: o.definition,
      deps: depsOf("pg_cast", o.oid, [`cast:${o.oid}`]) })),
  ];
  return { functions, generated };
}

/** Views and materialized views with their indexes and column defaults. */
async function readViews(q: Query, { viewRows, viewOids }: Candidates, depsOf: DepsOf): Promise<ViewObject[]> {
  const viewIndexes = await q<{ relid: number; definition: string }>(`
    SELECT i.indrelid AS relid, pg_get_indexdef(i.indexrelid) AS definition FROM pg_index i
    WHERE i.indrelid = ANY($1::oid[]) ORDER BY i.indexrelid::regclass::text`, [viewOids]);
  const viewDefaults = await q<{ relid: number; column: string; expression: string }>(`
    SELECT ad.adrelid AS relid, quote_ident(a.attname) AS column, pg_get_expr(ad.adbin, ad.adrelid) AS expression
    FROM pg_attrdef ad JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
    WHERE ad.adrelid = ANY($1::oid[]) ORDER BY a.attnum`, [viewOids]);

  const indexesOf = groupBy(viewIndexes, (i) => i.relid);
  const defaultsOf = groupBy(viewDefaults, (d) => d.relid);
  return viewRows.map((v) => ({
    key: `rel:${v.oid}`,
    name: v.name,
    kind: v.relkind === "m" ? "materialized view" : "view",
    definition: v.definition.trim().replace(/;$/, ""),
    options: v.options ?? [],
    populated: v.populated,
    indexes: (indexesOf.get(v.oid) ?? []).map((i) => i.definition),
    columnDefaults: (defaultsOf.get(v.oid) ?? []).map(({ column, expression }) => ({ column, expression })),
    deps: depsOf("pg_rewrite", v.rule_oid, [`rel:${v.oid}`]),
  }));
}

/** Rules, triggers and policies; those on a view come after it. */
function tableObjects({ ruleRows, triggerRows, policyRows, viewSet }: Candidates, depsOf: DepsOf) {
  const ownerKey = (relid: number) => (viewSet.has(relid) ? `rel:${relid}` : null);
  const rules: RuleObject[] = ruleRows.map((r) => ({
    key: `rule:${r.oid}`,
    name: `${r.name} on ${r.table}`,
    definition: r.definition.trim().replace(/;$/, ""),
    deps: [...depsOf("pg_rewrite", r.oid, [`rel:${r.relid}`]), ...keyDep(ownerKey(r.relid))],
  }));

  const triggers: TriggerObject[] = triggerRows.map((t) => ({
    key: `trg:${t.oid}`,
    name: `${t.name} on ${t.table}`,
    triggerName: t.name,
    table: t.table,
    definition: t.definition,
    enabled: t.enabled,
    deps: [...depsOf("pg_trigger", t.oid, [`rel:${t.relid}`]), ...keyDep(ownerKey(t.relid))],
  }));

  const policies: PolicyObject[] = policyRows.map((p) => ({
    key: `pol:${p.oid}`,
    name: `${p.name} on ${p.table}`,
    policyName: p.name,
    table: p.table,
    permissive: p.permissive,
    command: ({ r: "SELECT", a: "INSERT", w: "UPDATE", d: "DELETE", "*": "ALL" } as const)[p.cmd as "r"] ?? "ALL",
    roles: p.roles,
    using: p.using,
    withCheck: p.with_check,
    deps: depsOf("pg_policy", p.oid),
  }));
  return { rules, triggers, policies };
}

/** Owners and grants of every copied relation, routine, type and schema. */
async function readPrivileges(q: Query, { schemas, selected, sequences, neededTypes }: Selection, { viewRows, fnRows, relWithObjects }: Candidates): Promise<PrivilegeItem[]> {
  const privileges: PrivilegeItem[] = [];
  const columnAcls = await q<{ relid: number; column: string; acl: AclEntry[] }>(`
    SELECT a.attrelid AS relid, quote_ident(a.attname) AS column, ${aclJson("a.attacl")} AS acl
    FROM pg_attribute a WHERE a.attrelid = ANY($1::oid[]) AND a.attacl IS NOT NULL AND NOT a.attisdropped AND a.attnum > 0
    ORDER BY a.attnum`, [relWithObjects]);
  const columnAclsOf = groupBy(columnAcls, (c) => c.relid);
  const colAclsOf = (relid: number) => (columnAclsOf.get(relid) ?? []).filter((c) => c.acl).map(({ column, acl }) => ({ column, acl }));
  for (const t of selected) {
    const foreign = t.relkind === "f";
    privileges.push({ alterKind: foreign ? "FOREIGN TABLE" : "TABLE", grantKind: foreign ? "FOREIGN TABLE" : "TABLE",
      name: t.name, owner: t.owner, ownable: true, acl: t.acl, columnAcls: colAclsOf(t.oid) });
  }
  for (const s of sequences) {
    privileges.push({ alterKind: "SEQUENCE", grantKind: "SEQUENCE", name: s.name, owner: s.owner, ownable: !s.owned, acl: s.acl, columnAcls: [] });
  }
  for (const v of viewRows) {
    privileges.push({ alterKind: v.relkind === "m" ? "MATERIALIZED VIEW" : "VIEW", grantKind: "TABLE", name: v.name,
      owner: v.owner, ownable: true, acl: v.acl, columnAcls: colAclsOf(v.oid), objectKey: `rel:${v.oid}` });
  }
  for (const f of fnRows) {
    privileges.push({ alterKind: "ROUTINE", grantKind: "ROUTINE", name: f.identity, owner: f.owner, ownable: true,
      acl: f.acl, columnAcls: [], objectKey: `fn:${f.oid}` });
  }
  for (const t of neededTypes.filter((ty) => schemas.includes(ty.schema))) {
    const kind = t.typtype === "d" ? "DOMAIN" : "TYPE";
    privileges.push({ alterKind: kind, grantKind: kind, name: t.name, owner: t.owner, ownable: true, acl: t.acl, columnAcls: [] });
  }
  const schemaRows = await q<{ name: string; owner: string; acl: AclEntry[] | null }>(`
    SELECT quote_ident(n.nspname) AS name, pg_get_userbyid(n.nspowner) AS owner, ${aclJson("n.nspacl")} AS acl
    FROM pg_namespace n WHERE n.nspname = ANY($1::text[]) ORDER BY 1`, [schemas]);
  for (const s of schemaRows) {
    privileges.push({ alterKind: "SCHEMA", grantKind: "SCHEMA", name: s.name, owner: s.owner, ownable: true, acl: s.acl, columnAcls: [] });
  }
  return privileges;
}

/** The extensions the tables and the objects use, and the functions the tables need before they are created (with their staging definitions). */
async function readTableNeeds(db: pg.ClientBase, q: Query, { selOids, indexes, neededTypes, typeSet, schemas }: Selection, cand: Candidates,
  functions: FunctionObject[], generated: GeneratedObject[]) {
  const tableScope: ScopeObject[] = [
    ...selOids.map((oid) => ({ cat: "pg_class", oid })),
    ...indexes.map((i) => ({ cat: "pg_class", oid: i.oid })),
    ...neededTypes.map((t) => ({ cat: "pg_type", oid: t.oid })),
  ];
  const tableScopeExtra = await q<{ cat: string; oid: number }>(`
    SELECT 'pg_constraint' AS cat, oid FROM pg_constraint WHERE conrelid = ANY($1::oid[]) OR contypid = ANY($2::oid[])
    UNION ALL SELECT 'pg_attrdef', oid FROM pg_attrdef WHERE adrelid = ANY($1::oid[])`, [selOids, [...typeSet]]);
  tableScope.push(...tableScopeExtra);

  const candidateScope: ScopeObject[] = [
    ...cand.fnRows.map((f) => ({ cat: "pg_proc", oid: f.oid, key: `fn:${f.oid}` })),
    ...cand.viewRows.map((v) => ({ cat: "pg_rewrite", oid: v.rule_oid, key: `rel:${v.oid}` })),
    ...cand.ruleRows.map((r) => ({ cat: "pg_rewrite", oid: r.oid, key: `rule:${r.oid}` })),
    ...cand.triggerRows.map((t) => ({ cat: "pg_trigger", oid: t.oid, key: `trg:${t.oid}` })),
    ...cand.policyRows.map((p) => ({ cat: "pg_policy", oid: p.oid, key: `pol:${p.oid}` })),
  ];
  const extensions = await readExtensionUse(db, tableScope, candidateScope);
  const functionsNeededByTables = await readFunctionsNeededByTables(db, tableScope, functions, generated);
  await readStagingDefinitions(db, schemas, functions.filter((f) => functionsNeededByTables.includes(f.key) && f.definition));
  return { extensions, functionsNeededByTables };
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

function keyDep(key: string | null): Dependency[] {
  return key ? [{ on: "object", key }] : [];
}

/** An ACL column as JSON [{grantee, privilege, grantable}], null when the ACL is the default (NULL). */
function aclJson(column: string): string {
  return `(SELECT json_agg(json_build_object('grantee', CASE WHEN a.grantee = 0 THEN NULL ELSE pg_get_userbyid(a.grantee) END,
    'privilege', a.privilege_type, 'grantable', a.is_grantable) ORDER BY a.grantee, a.privilege_type) FROM aclexplode(${column}) a)`;
}

type RefInfo = { cat: string; oid: number; description: string; schema: string | null; extension: boolean; tableOid: number | null };

/**
 * Describes referenced objects. Array types stand for their element type, and row types for
 * their relation, so that `customers[]` as an argument type counts as a use of table customers.
 */
async function describeRefs(db: pg.ClientBase, refs: { cat: number; oid: number }[]): Promise<Map<string, RefInfo>> {
  const out = new Map<string, RefInfo>();
  if (!refs.length) return out;
  // Joins only on indexed columns (oid): pg_type has no index on typarray, so an array type
  // finds its element through typelem and checks the pair.
  const { rows } = await db.query<{ cat: number; oid: number; rcat: string; roid: number; description: string; schema: string | null;
    extension: boolean; table_oid: number | null }>(`
    WITH r AS (SELECT DISTINCT c AS cat, o AS oid FROM unnest($1::oid[], $2::oid[]) AS x(c, o)),
    n AS (
      SELECT r.cat, r.oid,
        CASE WHEN r.cat = 'pg_type'::regclass AND COALESCE(el.typrelid, t.typrelid) <> 0 THEN 'pg_class'::regclass::oid ELSE r.cat END AS rcat,
        CASE WHEN r.cat <> 'pg_type'::regclass THEN r.oid
          WHEN COALESCE(el.typrelid, t.typrelid) <> 0 THEN COALESCE(el.typrelid, t.typrelid)
          ELSE COALESCE(el.oid, t.oid) END AS roid
      FROM r
      LEFT JOIN pg_type t ON r.cat = 'pg_type'::regclass AND t.oid = r.oid
      LEFT JOIN pg_type el ON el.oid = t.typelem AND el.typarray = t.oid
    )
    SELECT n.cat, n.oid, regexp_replace(n.rcat::regclass::text, '^pg_catalog\\.', '') AS rcat, n.roid,
      pg_describe_object(n.rcat, n.roid, 0) AS description,
      (pg_identify_object(n.rcat, n.roid, 0)).schema AS schema,
      EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = n.rcat AND e.objid = n.roid AND e.deptype = 'e') AS extension,
      CASE WHEN n.rcat = 'pg_constraint'::regclass THEN (SELECT NULLIF(con.conrelid, 0) FROM pg_constraint con WHERE con.oid = n.roid) END AS table_oid
    FROM n`, [refs.map((r) => r.cat), refs.map((r) => r.oid)]);
  for (const r of rows) {
    out.set(`${r.cat}:${r.oid}`, { cat: r.rcat, oid: r.roid, description: r.description, schema: r.schema, extension: r.extension,
      tableOid: r.table_oid });
  }
  return out;
}

type ScopeObject = { cat: string; oid: number; key?: string };

async function readExtensionUse(db: pg.ClientBase, tableScope: ScopeObject[], candidates: ScopeObject[]): Promise<ExtensionUse[]> {
  const all = [...tableScope, ...candidates];
  if (!all.length) return [];
  const { rows } = await db.query<{ name: string; schema: string; version: string; relocatable: boolean; idx: number; used_by: string }>(`
    WITH src AS (SELECT c::regclass AS classid, o AS objid, i AS idx FROM unnest($1::text[], $2::oid[]) WITH ORDINALITY AS x(c, o, i)),
    refs AS (
      SELECT src.idx, d.classid, d.objid, d.objsubid, d.refclassid, d.refobjid FROM pg_depend d
      JOIN src ON d.classid = src.classid AND d.objid = src.objid WHERE d.deptype IN ('n', 'a')
      UNION ALL
      SELECT src.idx, d.classid, d.objid, d.objsubid, 'pg_type'::regclass, el.oid FROM pg_depend d
      JOIN src ON d.classid = src.classid AND d.objid = src.objid
      JOIN pg_type t ON t.oid = d.refobjid JOIN pg_type el ON el.oid = t.typelem AND el.typarray = t.oid
      WHERE d.refclassid = 'pg_type'::regclass AND d.deptype IN ('n', 'a')
    )
    SELECT DISTINCT e.extname AS name, en.nspname AS schema, e.extversion AS version, e.extrelocatable AS relocatable,
      refs.idx, pg_describe_object(refs.classid, refs.objid, refs.objsubid) AS used_by
    FROM refs
    JOIN pg_depend m ON m.classid = refs.refclassid AND m.objid = refs.refobjid AND m.deptype = 'e' AND m.refclassid = 'pg_extension'::regclass
    JOIN pg_extension e ON e.oid = m.refobjid JOIN pg_namespace en ON en.oid = e.extnamespace
    ORDER BY 1, 5`, [all.map((o) => o.cat), all.map((o) => o.oid)]);
  const byName = new Map<string, ExtensionUse>();
  for (const r of rows) {
    const use = byName.get(r.name) ?? { name: r.name, schema: r.schema, version: r.version, relocatable: r.relocatable,
      usedBy: [], objectKeys: [], neededByTables: false };
    const obj = all[Number(r.idx) - 1];
    if (obj.key) { if (!use.objectKeys.includes(obj.key)) use.objectKeys.push(obj.key); } else use.neededByTables = true;
    if (use.usedBy.length < 5 && !use.usedBy.includes(r.used_by)) use.usedBy.push(r.used_by);
    byName.set(r.name, use);
  }
  return [...byName.values()];
}

/** Functions and operators of the cloned schemas that the tables use (defaults, CHECKs, index expressions), and what those call. */
async function readFunctionsNeededByTables(db: pg.ClientBase, tableScope: ScopeObject[], functions: FunctionObject[], generated: GeneratedObject[]): Promise<string[]> {
  if (!tableScope.length || (!functions.length && !generated.length)) return [];
  const { rows } = await db.query<{ key: string }>(`
    SELECT DISTINCT CASE WHEN d.refclassid = 'pg_proc'::regclass THEN 'fn:' ELSE 'op:' END || d.refobjid AS key FROM pg_depend d
    JOIN unnest($1::text[], $2::oid[]) AS x(c, o) ON d.classid = x.c::regclass AND d.objid = x.o
    WHERE d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass)`, [tableScope.map((o) => o.cat), tableScope.map((o) => o.oid)]);
  const byKey = new Map<string, { deps: FunctionObject["deps"] }>([...functions, ...generated.filter((g) => g.kind === "operator")].map((f) => [f.key, f]));
  const needed = new Set<string>();
  const visit = (key: string) => {
    const f = byKey.get(key);
    if (!f || needed.has(key)) return;
    needed.add(key);
    for (const d of f.deps) if (d.on === "object") visit(d.key);
  };
  for (const r of rows) visit(r.key);
  return [...needed];
}

/**
 * Functions the tables use must exist in the staging schemas before the tables. Their
 * definitions are read again with search_path = the selected schemas, so that argument types and
 * SQL-standard bodies name the schemas' own objects unqualified: run with the staging schemas
 * first in search_path, they bind to the staged copies (as the engine's table DDL does).
 */
async function readStagingDefinitions(db: pg.ClientBase, schemas: string[], functions: FunctionObject[]) {
  if (!functions.length) return;
  await db.query("SELECT set_config('search_path', $1, true)", [schemas.map(qi).join(", ")]);
  try {
    const { rows } = await db.query<{ oid: number; definition: string }>(
      "SELECT p.oid, pg_get_functiondef(p.oid) AS definition FROM pg_proc p WHERE p.oid = ANY($1::oid[])",
      [functions.map((f) => Number(f.key.slice(3)))]);
    const byKey = new Map(rows.map((r) => [`fn:${r.oid}`, r.definition]));
    for (const f of functions) f.stagingDefinition = byKey.get(f.key);
  } finally {
    await db.query("SELECT set_config('search_path', '', true)");
  }
}

async function readComments(db: pg.ClientBase, o: { schemas: string[]; selOids: number[]; seqOids: number[]; viewOids: number[];
  fnOids: number[]; triggerOids: number[]; ruleOids: number[]; policyOids: number[]; typeOids: number[] }): Promise<CommentItem[]> {
  // Indexes of partitions are created by the engine through the parent's index, with names of
  // the server's choosing: their comments are left out (so are constraints inherited from a parent).
  const { rows } = await db.query<{ target: string; text: string; object_key: string | null }>(`
    WITH rel AS (SELECT unnest($1::oid[]) AS oid UNION SELECT unnest($2::oid[]) UNION SELECT unnest($3::oid[])),
    idx AS (
      SELECT i.indexrelid AS oid, i.indrelid FROM pg_index i JOIN rel ON rel.oid = i.indrelid
      WHERE NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)
    )
    SELECT format('%s %s', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
        WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, c.oid::regclass) AS target,
      d.description AS text, CASE WHEN c.oid = ANY($3::oid[]) THEN 'rel:' || c.oid END AS object_key
    FROM pg_description d JOIN rel ON d.classoid = 'pg_class'::regclass AND d.objoid = rel.oid AND d.objsubid = 0
    JOIN pg_class c ON c.oid = rel.oid
    UNION ALL
    SELECT format('COLUMN %s.%I', a.attrelid::regclass, a.attname), d.description,
      CASE WHEN a.attrelid = ANY($3::oid[]) THEN 'rel:' || a.attrelid END
    FROM pg_description d JOIN rel ON d.classoid = 'pg_class'::regclass AND d.objoid = rel.oid AND d.objsubid > 0
    JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum = d.objsubid AND NOT a.attisdropped
    UNION ALL
    SELECT format('INDEX %s', idx.oid::regclass), d.description,
      CASE WHEN idx.indrelid = ANY($3::oid[]) THEN 'rel:' || idx.indrelid END
    FROM pg_description d JOIN idx ON d.classoid = 'pg_class'::regclass AND d.objoid = idx.oid AND d.objsubid = 0
    UNION ALL
    SELECT CASE WHEN con.contypid <> 0 THEN format('CONSTRAINT %I ON DOMAIN %s', con.conname, con.contypid::regtype)
      ELSE format('CONSTRAINT %I ON %s', con.conname, con.conrelid::regclass) END, d.description, NULL
    FROM pg_description d JOIN pg_constraint con ON d.classoid = 'pg_constraint'::regclass AND d.objoid = con.oid
    WHERE (con.conrelid = ANY($1::oid[]) AND con.conparentid = 0) OR con.contypid = ANY($9::oid[])
    UNION ALL
    SELECT format('ROUTINE %s', d.objoid::regprocedure), d.description, 'fn:' || d.objoid
    FROM pg_description d WHERE d.classoid = 'pg_proc'::regclass AND d.objoid = ANY($4::oid[])
    UNION ALL
    SELECT format('TRIGGER %I ON %s', t.tgname, t.tgrelid::regclass), d.description, 'trg:' || t.oid
    FROM pg_description d JOIN pg_trigger t ON d.classoid = 'pg_trigger'::regclass AND d.objoid = t.oid
    WHERE t.oid = ANY($5::oid[])
    UNION ALL
    SELECT format('RULE %I ON %s', r.rulename, r.ev_class::regclass), d.description, 'rule:' || r.oid
    FROM pg_description d JOIN pg_rewrite r ON d.classoid = 'pg_rewrite'::regclass AND d.objoid = r.oid
    WHERE r.oid = ANY($6::oid[])
    UNION ALL
    SELECT format('POLICY %I ON %s', p.polname, p.polrelid::regclass), d.description, 'pol:' || p.oid
    FROM pg_description d JOIN pg_policy p ON d.classoid = 'pg_policy'::regclass AND d.objoid = p.oid
    WHERE p.oid = ANY($7::oid[])
    UNION ALL
    SELECT format('%s %s', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype), d.description, NULL
    FROM pg_description d JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND d.objoid = t.oid
    WHERE t.oid = ANY($9::oid[])
    UNION ALL
    SELECT format('SCHEMA %I', n.nspname), d.description, NULL
    FROM pg_description d JOIN pg_namespace n ON d.classoid = 'pg_namespace'::regclass AND d.objoid = n.oid
    WHERE n.nspname = ANY($8::text[])
    ORDER BY 1`,
    [o.selOids, o.seqOids, o.viewOids, o.fnOids, o.triggerOids, o.ruleOids, o.policyOids, o.schemas, o.typeOids]);
  return rows.map((r) => ({ target: r.target, text: r.text, ...(r.object_key ? { objectKey: r.object_key } : {}) }));
}
