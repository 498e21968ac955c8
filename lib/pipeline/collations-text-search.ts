import type pg from "pg";
import { qi, ql, qname } from "./connect";

// Collations and text search dictionaries/configurations of the cloned schemas. Tables use them
// (a column's COLLATE, a generated tsvector column, an index on to_tsvector('cfg', ...)), so they
// are created in the staging schemas before the types and tables. Read by readCatalog (search_path
// = the cloned schemas, so dictionary names of those schemas come out unqualified and bind to the
// staged copies; see catalog.ts).

export type CatalogCollation = {
  schema: string; name: string;
  /** pg_collation.collprovider: c (libc), i (icu), b (builtin, PostgreSQL 17+). */
  provider: string;
  locale: string | null; lcCollate: string | null; lcCtype: string | null; deterministic: boolean; rules: string | null;
};

export type CatalogTextSearch = {
  dictionaries: { schema: string; name: string; template: string; options: string | null }[];
  configurations: { schema: string; name: string; parser: string; mappings: { tokens: string[]; dictionaries: string[] }[] }[];
};

export async function readCollationsAndTextSearch(c: pg.ClientBase, schemas: string[]): Promise<{ collations: CatalogCollation[]; textSearch: CatalogTextSearch }> {
  const notExtension = (cat: string, col: string) => `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${cat}'::regclass AND e.objid = ${col} AND e.deptype = 'e')`;
  // to_jsonb: the locale columns differ between versions (colliculocale 15-16, colllocale 17+, collicurules 16+).
  const collations = (await c.query(`
    SELECT n.nspname AS schema, co.collname AS name, co.collprovider AS provider, co.collisdeterministic AS deterministic,
           co.collcollate AS lc_collate, co.collctype AS lc_ctype,
           coalesce(to_jsonb(co) ->> 'colllocale', to_jsonb(co) ->> 'colliculocale') AS locale, to_jsonb(co) ->> 'collicurules' AS rules
      FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
     WHERE n.nspname = ANY($1::text[]) AND ${notExtension("pg_collation", "co.oid")}
     ORDER BY 1, 2`, [schemas])).rows;
  const dictionaries = (await c.query(`
    SELECT n.nspname AS schema, d.dictname AS name, quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname) AS template, d.dictinitoption AS options
      FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace JOIN pg_ts_template t ON t.oid = d.dicttemplate
      JOIN pg_namespace tn ON tn.oid = t.tmplnamespace
     WHERE n.nspname = ANY($1::text[]) AND ${notExtension("pg_ts_dict", "d.oid")}
     ORDER BY 1, 2`, [schemas])).rows;
  const configurations = (await c.query(`
    SELECT n.nspname AS schema, cfg.cfgname AS name, quote_ident(pn.nspname) || '.' || quote_ident(p.prsname) AS parser,
      coalesce((SELECT json_agg(json_build_object('token', m.token, 'dictionaries', m.dicts) ORDER BY m.token)
        FROM (SELECT tt.alias AS token, array_agg(mp.mapdict::regdictionary::text ORDER BY mp.mapseqno) AS dicts
                FROM pg_ts_config_map mp JOIN ts_token_type(cfg.cfgparser) tt ON tt.tokid = mp.maptokentype
               WHERE mp.mapcfg = cfg.oid GROUP BY tt.alias) m), '[]') AS mappings
      FROM pg_ts_config cfg JOIN pg_namespace n ON n.oid = cfg.cfgnamespace JOIN pg_ts_parser p ON p.oid = cfg.cfgparser
      JOIN pg_namespace pn ON pn.oid = p.prsnamespace
     WHERE n.nspname = ANY($1::text[]) AND ${notExtension("pg_ts_config", "cfg.oid")}
     ORDER BY 1, 2`, [schemas])).rows;
  return {
    collations: collations.map((r) => ({ schema: r.schema, name: r.name, provider: r.provider, locale: r.locale, lcCollate: r.lc_collate,
      lcCtype: r.lc_ctype, deterministic: r.deterministic, rules: r.rules })),
    textSearch: {
      dictionaries: dictionaries.map((r) => ({ schema: r.schema, name: r.name, template: r.template, options: r.options })),
      configurations: configurations.map((r) => {
        // Tokens mapped to the same dictionaries share one ALTER ... ADD MAPPING.
        const groups = new Map<string, { tokens: string[]; dictionaries: string[] }>();
        for (const m of r.mappings as { token: string; dictionaries: string[] }[]) {
          const key = m.dictionaries.join(",");
          const g = groups.get(key) ?? { tokens: [], dictionaries: m.dictionaries };
          g.tokens.push(m.token);
          groups.set(key, g);
        }
        return { schema: r.schema, name: r.name, parser: r.parser, mappings: [...groups.values()] };
      }),
    },
  };
}

/** CREATE COLLATION / TEXT SEARCH DICTIONARY / CONFIGURATION in the staging schemas (`stage` maps a source schema). */
export function collationAndTextSearchStatements(o: { collations: CatalogCollation[]; textSearch: CatalogTextSearch }, stage: (schema: string) => string): string[] {
  const out: string[] = [];
  for (const co of o.collations) {
    const opts: string[] = [];
    if (co.provider === "c") opts.push("provider = libc", `lc_collate = ${ql(co.lcCollate ?? "C")}`, `lc_ctype = ${ql(co.lcCtype ?? "C")}`);
    else opts.push(`provider = ${co.provider === "i" ? "icu" : "builtin"}`, `locale = ${ql(co.locale ?? "")}`);
    if (!co.deterministic) opts.push("deterministic = false");
    if (co.rules) opts.push(`rules = ${ql(co.rules)}`);
    out.push(`CREATE COLLATION ${qname(stage(co.schema), co.name)} (${opts.join(", ")})`);
  }
  for (const d of o.textSearch.dictionaries) {
    out.push(`CREATE TEXT SEARCH DICTIONARY ${qname(stage(d.schema), d.name)} (TEMPLATE = ${d.template}${d.options ? `, ${d.options}` : ""})`);
  }
  for (const cfg of o.textSearch.configurations) {
    const name = qname(stage(cfg.schema), cfg.name);
    out.push(`CREATE TEXT SEARCH CONFIGURATION ${name} (PARSER = ${cfg.parser})`);
    for (const m of cfg.mappings) out.push(`ALTER TEXT SEARCH CONFIGURATION ${name} ADD MAPPING FOR ${m.tokens.map(qi).join(", ")} WITH ${m.dictionaries.join(", ")}`);
  }
  return out;
}
