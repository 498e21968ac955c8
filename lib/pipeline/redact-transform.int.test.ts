// Real COPY TO STDOUT -> redaction transform -> COPY FROM STDIN, on the test servers.
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminQuery, createTestDatabase, type TestDatabase } from "@/test/db";
import { withDatabase } from "@/test/pg-server";
import type { TRule } from "@/lib/schemas/rules";
import type { ColumnMeta } from "@/lib/redaction/column-meta";
import { pinSessionSettings } from "./copy-text";
import { createRedactTransform } from "./redact-transform";

const SCHEMA = `
  CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE TYPE pair AS (label text, n int);
  CREATE TABLE nasty (
    id int PRIMARY KEY, t text, v varchar(20), c char(5), arr text[], iarr int[][], j jsonb, js json,
    b bytea, ts timestamptz, d date, tsp timestamp, n numeric(14,4), f float8, r real, u uuid, ip inet,
    tsv tsvector, iv interval, comp pair, e mood, ok bool, email varchar(80) UNIQUE, phone text, born date
  );`;

const INSERT = String.raw`
  INSERT INTO nasty VALUES
  (1, E'\\N', '', 'ab', '{"\\N",NULL,"NULL","", "a\"b", "c\\\\d", "tab\there"}', '{{1,2},{3,NULL}}',
   '{"k": "line\nbreak", "big": 12345678901234567890, "u": "\u00e9"}', '{ "keep" : "spacing", "k":1,"k":2 }',
   E'\\x00015c0a0d09ff', 'infinity', '-infinity', '0044-03-15 12:00:00 BC', 'NaN', '-0', '1.17549435e-38',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2001:db8::1/64', 'fat & rat', '1 year 2 mons -3 days 04:05:06.789',
   ROW('quote " and \ and ,', NULL)::pair, 'happy', true, 'first@corp.example', '+1 (415) 555-0100', '1984-02-29'),
  (2, E'tab\tnew\nline\rcr\\back', 'Zoë 🦊 日本語', 'xyz  ', '{}', NULL, 'null', '[]', '\x', '2024-02-29 23:59:59.999999+00',
   '4714-11-24 BC', '294276-12-31 23:59:59', '-1234567890.1234', 'Infinity', '-Infinity', NULL, '10.0.0.1', '',
   '-178000000 years', ROW('', 0)::pair, 'sad', false, 'second@corp.example', '555-0101', '2000-01-01'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL);
  INSERT INTO nasty
  SELECT g, 'row ' || g || E'\t\\', 'v' || g, 'c', ARRAY['x' || g, NULL], ARRAY[[g, g]], jsonb_build_object('email', 'p' || g || '@corp.example', 'n', g),
    json_build_object('g', g), decode(md5(g::text), 'hex'), timestamptz '2020-01-01 00:00:00+00' + g * interval '1 hour',
    date '2020-01-01' + g, timestamp '1999-12-31 23:00:00' + g * interval '1 minute', g / 7.0, g / 3.0, g * 1.5,
    md5(g::text)::uuid, ('10.1.' || (g % 250) || '.' || (g % 200))::inet, to_tsvector('simple', 'word' || g),
    g * interval '1 second', ROW('p' || g, g)::pair, 'ok', g % 2 = 0, 'person' || g || '@corp.example', '(212) 555-' || lpad(g::text, 4, '0'),
    date '1950-01-01' + g
  FROM generate_series(4, 5000) g;`;

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await pinSessionSettings(client);
  return client;
}

async function columnsOf(client: pg.Client): Promise<ColumnMeta[]> {
  const { rows } = await client.query(`
    SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type_name, t.typname, t.typcategory,
           et.typname AS elem, et.typcategory AS elem_cat, a.attnotnull,
           CASE WHEN a.atttypmod > 4 AND t.typname IN ('varchar', 'bpchar') THEN a.atttypmod - 4 END AS max_length,
           EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisunique AND i.indnatts = 1 AND i.indkey[0] = a.attnum) AS is_unique
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
    WHERE a.attrelid = 'nasty'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`);
  return rows.map((r) => ({
    name: r.name, typeName: r.type_name, baseType: r.typname, category: r.typcategory,
    ...(r.elem ? { elementType: r.elem, elementCategory: r.elem_cat } : {}),
    maxLength: r.max_length, notNull: r.attnotnull, unique: r.is_unique,
  }));
}

async function copyThrough(source: pg.Client, target: pg.Client, table: string, columns: ColumnMeta[], rules: Record<string, TRule>) {
  const transform = createRedactTransform({ columns, rules, salt: Buffer.from("int-test-salt") });
  const cols = columns.map((c) => `"${c.name}"`).join(", ");
  await pipeline(source.query(copyTo(`COPY (SELECT ${cols} FROM nasty) TO STDOUT`)), transform, target.query(copyFrom(`COPY ${table} (${cols}) FROM STDIN`)));
  return transform.stats();
}

/** Rows as their text form, sorted: an order-independent comparison that also works for json. */
async function rowsText(client: pg.Client, table: string) {
  const { rows } = await client.query(`SELECT x::text AS r FROM ${table} x ORDER BY id`);
  return rows.map((r) => r.r as string);
}

describe("redaction transform against real COPY", () => {
  let db: TestDatabase;
  let source: pg.Client;
  let columns: ColumnMeta[];

  beforeAll(async () => {
    db = await createTestDatabase({ template: null, prefix: "doppel_redact" });
    source = await connect(db.url);
    await source.query(SCHEMA);
    await source.query(INSERT);
    await source.query("CREATE TABLE copy_plain (LIKE nasty INCLUDING ALL); CREATE TABLE copy_redacted (LIKE nasty INCLUDING ALL)");
    columns = await columnsOf(source);
  });

  afterAll(async () => {
    await source?.end();
    await db?.drop();
  });

  it("round-trips every value byte for byte with no rules", async () => {
    const target = await connect(db.url);
    try {
      const stats = await copyThrough(source, target, "copy_plain", columns, {});
      expect(stats.rows).toBe(5000);
      expect(stats.bytesOut).toBe(stats.bytesIn);
      expect(await rowsText(target, "copy_plain")).toEqual(await rowsText(source, "nasty"));
    } finally {
      await target.end();
    }
  });

  it("round-trips into a server of another major version", async () => {
    const alt = inject("altAdminUrl");
    if (!alt) return; // no second server on this machine: covered by the same-server test
    const name = `doppel_redact_alt_${Date.now().toString(36)}${Math.floor(Math.random() * 1e6)}`;
    await adminQuery(alt, `CREATE DATABASE ${name}`);
    const target = await connect(withDatabase(alt, name));
    try {
      await target.query(SCHEMA);
      await copyThrough(source, target, "nasty", columns, {});
      expect(await rowsText(target, "nasty")).toEqual(await rowsText(source, "nasty"));
    } finally {
      await target.end();
      await adminQuery(alt, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  it("leaves no original value in redacted columns and keeps the others identical", async () => {
    const rules: Record<string, TRule> = {
      t: { rule: "null" },
      v: { rule: "fake", kind: "first_name" },
      arr: { rule: "fake", kind: "email" },
      j: { rule: "json_paths", paths: [{ path: "$.email", apply: { rule: "fake", kind: "email" } }, { path: "$.k", apply: { rule: "hash", length: 16, encoding: "hex" } }] },
      b: { rule: "hash", length: 16, encoding: "hex" },
      ts: { rule: "date_shift", maxDays: 30 },
      n: { rule: "numeric_noise", percent: 10 },
      u: { rule: "hash", length: 16, encoding: "hex" },
      ip: { rule: "fake", kind: "ip" },
      email: { rule: "fake", kind: "email" },
      phone: { rule: "mask", format: "phone", keepLast: 2, maskChar: "*" },
      born: { rule: "date_shift", maxDays: 365 },
      id: { rule: "hash", length: 16, encoding: "hex" },
    };
    const target = await connect(db.url);
    try {
      await copyThrough(source, target, "copy_redacted", columns, rules);
      const { rows: count } = await target.query("SELECT count(*)::int AS n, count(DISTINCT email)::int AS emails FROM copy_redacted");
      expect(count[0]).toEqual({ n: 5000, emails: 4999 });
      // Text-like PII: no source value appears anywhere in the redacted column.
      for (const col of ["v", "email", "phone", "b", "u"]) {
        const { rows } = await target.query(
          `SELECT count(*)::int AS n FROM nasty s JOIN copy_redacted r ON r.${col}::text = s.${col}::text WHERE s.${col}::text <> ''`,
        );
        expect(rows[0].n, `values of ${col} survived`).toBe(0);
      }
      // Shifted dates and noisy numbers may equal another row's value; each row's own value changed.
      // Rows are paired by comp, a unique column without a rule (the id is hashed).
      for (const col of ["ts", "born", "n", "ip", "j", "arr"]) {
        const { rows } = await target.query(
          `SELECT count(*)::int AS n FROM nasty s JOIN copy_redacted r ON r.comp::text = s.comp::text
           WHERE s.${col}::text = r.${col}::text AND s.${col}::text NOT IN ('', 'NaN', 'infinity', '-infinity', '{}', 'null')`,
        );
        expect(rows[0].n, `a row kept its value of ${col}`).toBe(0);
      }
      const { rows: ids } = await target.query("SELECT count(*)::int AS n FROM nasty s JOIN copy_redacted r USING (id)");
      expect(ids[0].n).toBe(0);
      const { rows: emails } = await target.query(
        `SELECT (SELECT count(*) FROM nasty s JOIN copy_redacted r ON r.j->>'email' = s.j->>'email')::int
              + (SELECT count(*) FROM (SELECT unnest(arr) e FROM nasty) s JOIN (SELECT unnest(arr) e FROM copy_redacted) r USING (e) WHERE e <> '')::int AS n`,
      );
      expect(emails[0].n).toBe(0);
      const { rows: infinite } = await target.query("SELECT ts::text FROM copy_redacted WHERE ts IN ('infinity', '2024-02-29 23:59:59.999999+00')");
      expect(infinite.map((r) => r.ts)).toEqual(["infinity"]);
      const kept = ["c", "iarr", "js", "d", "tsp", "f", "r", "tsv", "iv", "comp", "e", "ok"].map((c) => `${c}::text`).join(", ");
      const { rows: diff } = await target.query(
        `SELECT count(*)::int AS n FROM ((SELECT ${kept} FROM nasty EXCEPT ALL SELECT ${kept} FROM copy_redacted) UNION ALL (SELECT ${kept} FROM copy_redacted EXCEPT ALL SELECT ${kept} FROM nasty)) x`,
      );
      expect(diff[0].n).toBe(0);
      const { rows: nulls } = await target.query("SELECT count(*)::int AS n FROM copy_redacted WHERE t IS NOT NULL");
      expect(nulls[0].n).toBe(0);
    } finally {
      await target.end();
    }
  });
});
