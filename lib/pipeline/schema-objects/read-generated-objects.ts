import type pg from "pg";

// Objects that PostgreSQL has no pg_get_*def for, so their definitions are generated from the
// catalogs: aggregates (pg_aggregate), operators (pg_operator) and casts (pg_cast). Read with an
// empty search_path (read-schema-objects.ts), so every name comes out schema-qualified.

const notExtensionMember = (cat: string, alias: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${cat}'::regclass AND e.objid = ${alias}.oid AND e.deptype = 'e')`;

/** CREATE AGGREGATE statements by aggregate oid. */
export async function readAggregateDefinitions(db: pg.ClientBase, oids: number[]): Promise<Map<number, string>> {
  if (!oids.length) return new Map();
  const modify = (col: string) => `CASE ${col} WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END`;
  const fn = (col: string) => `nullif(${col}, 0)::regproc::text`;
  const { rows } = await db.query<{ oid: number; definition: string }>(`
    SELECT p.oid, format('CREATE AGGREGATE %I.%I(%s) (%s)', n.nspname, p.proname, pg_get_function_arguments(p.oid), concat_ws(', ',
      'SFUNC = ' || a.aggtransfn::regproc::text, 'STYPE = ' || format_type(a.aggtranstype, NULL),
      'SSPACE = ' || nullif(a.aggtransspace, 0), 'FINALFUNC = ' || ${fn("a.aggfinalfn")},
      CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
      CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC_MODIFY = ' || ${modify("a.aggfinalmodify")} END,
      'COMBINEFUNC = ' || ${fn("a.aggcombinefn")}, 'SERIALFUNC = ' || ${fn("a.aggserialfn")}, 'DESERIALFUNC = ' || ${fn("a.aggdeserialfn")},
      'INITCOND = ' || quote_literal(a.agginitval),
      'MSFUNC = ' || ${fn("a.aggmtransfn")}, 'MINVFUNC = ' || ${fn("a.aggminvtransfn")},
      CASE WHEN a.aggmtranstype <> 0 THEN 'MSTYPE = ' || format_type(a.aggmtranstype, NULL) END,
      'MSSPACE = ' || nullif(a.aggmtransspace, 0), 'MFINALFUNC = ' || ${fn("a.aggmfinalfn")},
      CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
      CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC_MODIFY = ' || ${modify("a.aggmfinalmodify")} END,
      'MINITCOND = ' || quote_literal(a.aggminitval),
      (SELECT format('SORTOP = OPERATOR(%I.%s)', opn.nspname, op.oprname) FROM pg_operator op JOIN pg_namespace opn ON opn.oid = op.oprnamespace WHERE op.oid = a.aggsortop),
      CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END,
      CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END)) AS definition
    FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE p.oid = ANY($1::oid[])`, [oids]);
  return new Map(rows.map((r) => [Number(r.oid), r.definition]));
}

export type GeneratedRow = { oid: number; name: string; definition: string; unsupported: string | null };

/** Operators of the schemas, with CREATE OPERATOR statements. */
export async function readOperators(db: pg.ClientBase, schemas: string[]): Promise<GeneratedRow[]> {
  const opRef = (col: string) => `(SELECT format('OPERATOR(%I.%s)', cn.nspname, c.oprname) FROM pg_operator c JOIN pg_namespace cn ON cn.oid = c.oprnamespace WHERE c.oid = ${col})`;
  return (await db.query<GeneratedRow>(`
    SELECT o.oid, o.oid::regoperator::text AS name,
      format('CREATE OPERATOR %I.%s (%s)', n.nspname, o.oprname, concat_ws(', ',
        'FUNCTION = ' || o.oprcode::regproc::text,
        'LEFTARG = ' || CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) END,
        'RIGHTARG = ' || CASE WHEN o.oprright <> 0 THEN format_type(o.oprright, NULL) END,
        'COMMUTATOR = ' || ${opRef("o.oprcom")}, 'NEGATOR = ' || ${opRef("o.oprnegate")},
        'RESTRICT = ' || nullif(o.oprrest, 0)::regproc::text, 'JOIN = ' || nullif(o.oprjoin, 0)::regproc::text,
        CASE WHEN o.oprcanhash THEN 'HASHES' END, CASE WHEN o.oprcanmerge THEN 'MERGES' END)) AS definition,
      CASE WHEN o.oprcode = 0 THEN 'it is a shell operator (no function)' END AS unsupported
    FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace
    WHERE n.nspname = ANY($1::text[]) AND ${notExtensionMember("pg_operator", "o")}
    ORDER BY 2`, [schemas])).rows;
}

/** User-defined casts from, to or through the schemas' types and functions. */
export async function readCasts(db: pg.ClientBase, schemas: string[]): Promise<GeneratedRow[]> {
  return (await db.query<GeneratedRow>(`
    SELECT ca.oid, format('cast (%s AS %s)', format_type(ca.castsource, NULL), format_type(ca.casttarget, NULL)) AS name,
      format('CREATE CAST (%s AS %s) %s%s', format_type(ca.castsource, NULL), format_type(ca.casttarget, NULL),
        CASE ca.castmethod WHEN 'f' THEN 'WITH FUNCTION ' || ca.castfunc::regprocedure::text WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END,
        CASE ca.castcontext WHEN 'a' THEN ' AS ASSIGNMENT' WHEN 'i' THEN ' AS IMPLICIT' ELSE '' END) AS definition,
      NULL AS unsupported
    FROM pg_cast ca
    WHERE ca.oid >= 16384 AND ${notExtensionMember("pg_cast", "ca")}
      -- casts PostgreSQL creates itself (range -> multirange) depend internally on their type
      AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_cast'::regclass AND i.objid = ca.oid AND i.deptype = 'i') AND (
      (SELECT typnamespace FROM pg_type WHERE oid = ca.castsource) IN (SELECT oid FROM pg_namespace WHERE nspname = ANY($1::text[]))
      OR (SELECT typnamespace FROM pg_type WHERE oid = ca.casttarget) IN (SELECT oid FROM pg_namespace WHERE nspname = ANY($1::text[]))
      OR (SELECT pronamespace FROM pg_proc WHERE oid = ca.castfunc) IN (SELECT oid FROM pg_namespace WHERE nspname = ANY($1::text[])))
    ORDER BY 2`, [schemas])).rows;
}
