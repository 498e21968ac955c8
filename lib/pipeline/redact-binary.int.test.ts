// The binary redaction transform against real COPY: the same rules through text COPY and through
// binary COPY must give the same twin, value for value, whatever the chunk boundaries.
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import type { TRule } from "@/lib/schemas/rules";
import { columnMeta, type ColumnMeta } from "@/lib/redaction/column-meta";
import { CopyFormatError, pinSessionSettings } from "./copy-text";
import { createRedactTransform } from "./redact-transform";
import { binaryRedactable, createBinaryRedactTransform } from "./redact-binary";
import { createParallelRedactTransform } from "./parallel-redact-transform";

// Built-in types only (what binary COPY carries between servers); the ruled columns are text-like
// and integers, the others pass through as byte ranges between and after them.
const SCHEMA = `
  CREATE TABLE people (
    id int8 PRIMARY KEY, first_name text, tags text[], last_name varchar(40), email varchar(80), j jsonb,
    phone text, ssn char(11), notes text, account int4, small int2, big int8, label name, plan varchar(20),
    city text, zip text, ts timestamptz, amount numeric(12,2), b bytea, u uuid, nick text, iv interval
  );`;

// Generated fake data with the awkward cases: NULLs, empty strings, tabs/newlines/backslashes
// (escaped in text COPY, raw in binary), multi-byte characters, padded char(n), integer extremes.
const INSERT = String.raw`
  INSERT INTO people
  SELECT g,
    CASE WHEN g % 11 = 0 THEN NULL WHEN g % 13 = 0 THEN '' ELSE (ARRAY['Ana', 'Zoë', 'Bjørn', E'Tab\tMan', 'Li'])[1 + g % 5] END,
    ARRAY['t' || g, NULL, E'a\\b'],
    CASE WHEN g % 7 = 0 THEN NULL ELSE (ARRAY['Smith', 'Müller', '日本', E'new\nline'])[1 + g % 4] END,
    CASE WHEN g % 17 = 0 THEN NULL ELSE 'person' || g || '@example.test' END,
    jsonb_build_object('n', g, 's', E'x\ty'),
    '(555) 01' || lpad((g % 100)::text, 2, '0') || '-' || lpad(g::text, 4, '0'),
    lpad((g % 1000)::text, 3, '0') || '-55-' || lpad((g % 10000)::text, 4, '0'),
    CASE WHEN g % 3 = 0 THEN NULL ELSE E'note \\ ' || g END,
    CASE WHEN g % 5 = 0 THEN NULL WHEN g = 2 THEN 2147483647 WHEN g = 3 THEN -2147483648 ELSE g * 7919 END,
    (g % 30000)::int2,
    CASE WHEN g = 4 THEN 9223372036854775807 WHEN g = 6 THEN '-9223372036854775808'::int8 ELSE g::int8 * 1000003 END,
    ('label' || g)::name, 'gold',
    (ARRAY['Lyon', 'Kraków', 'Porto'])[1 + g % 3], lpad((g % 90000)::text, 5, '0'),
    timestamptz '2021-03-04 05:06:07.123456+00' + g * interval '1 minute', g * 1.25, decode(md5(g::text), 'hex'),
    md5(g::text)::uuid, 'nick' || (g % 50), g * interval '1 second'
  FROM generate_series(1, 3000) g;`;

const RULES: Record<string, TRule> = {
  first_name: { rule: "fake", kind: "first_name" },
  last_name: { rule: "fake", kind: "last_name" },
  email: { rule: "fake", kind: "email" },
  phone: { rule: "mask", format: "phone", keepLast: 2, maskChar: "*" },
  ssn: { rule: "hash", length: 11, encoding: "hex" },
  notes: { rule: "null" },
  account: { rule: "hash", length: 16, encoding: "hex" },
  big: { rule: "hash", length: 16, encoding: "hex" },
  small: { rule: "shuffle" },
  label: { rule: "fake", kind: "last_name" },
  plan: { rule: "constant", value: "démo\tplan" },
  city: { rule: "fake", kind: "city" },
  zip: { rule: "fake", kind: "postal_code" },
  nick: { rule: "shuffle" },
};

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await pinSessionSettings(client);
  return client;
}

/** Cuts a stream into pieces of 1..23 bytes, so that headers, lengths and values straddle chunks. */
function choppy(): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      for (let i = 0; i < chunk.length; ) {
        const len = 1 + ((n++ * 7) % 23);
        this.push(chunk.subarray(i, i + len));
        i += len;
      }
      cb();
    },
  });
}

describe("binary redaction transform against real COPY", () => {
  let db: TestDatabase;
  let source: pg.Client;
  let columns: ColumnMeta[];
  const cols = () => columns.map((c) => `"${c.name}"`).join(", ");

  async function copyThrough(table: string, format: "text" | "binary", chop = false) {
    const opts = { columns, rules: RULES, salt: Buffer.from("binary-test-salt") };
    const transform = format === "binary" ? createBinaryRedactTransform(opts) : createRedactTransform(opts);
    const w = format === "binary" ? " WITH (FORMAT binary)" : "";
    const target = await connect(db.url);
    try {
      await target.query(`CREATE TABLE ${table} (LIKE people INCLUDING ALL)`);
      const stages = [source.query(copyTo(`COPY (SELECT ${cols()} FROM people) TO STDOUT${w}`)), ...(chop ? [choppy()] : []), transform, target.query(copyFrom(`COPY ${table} (${cols()}) FROM STDIN${w}`))];
      await pipeline(stages as unknown as [Readable, Transform]);
      return transform.stats();
    } finally {
      await target.end();
    }
  }

  /** The rows as text, without the shuffled columns (random), ordered by id. */
  async function rows(table: string) {
    const { rows } = await source.query(`SELECT (x.*)::text AS r FROM (SELECT ${columns.filter((c) => RULES[c.name]?.rule !== "shuffle").map((c) => `"${c.name}"`).join(", ")} FROM ${table}) x ORDER BY id`);
    return rows.map((r) => r.r as string);
  }
  async function sorted(table: string, col: string) {
    const { rows } = await source.query(`SELECT ${col}::text AS v FROM ${table} ORDER BY 1`);
    return rows.map((r) => r.v as string | null);
  }

  beforeAll(async () => {
    db = await createTestDatabase({ template: null, prefix: "doppel_redact_bin" });
    source = await connect(db.url);
    await source.query(SCHEMA);
    await source.query(INSERT);
    const { rows } = await source.query(`
      SELECT a.attname AS name, a.attnotnull,
             CASE WHEN t.typname IN ('varchar', 'bpchar') THEN t.typname || '(' || (a.atttypmod - 4) || ')' WHEN t.typname = '_text' THEN 'text[]' ELSE t.typname END AS type
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = 'people'::regclass AND a.attnum > 0 ORDER BY a.attnum`);
    columns = rows.map((r) => columnMeta(r.name, r.type, { notNull: r.attnotnull, unique: r.name === "id" }));
    expect(binaryRedactable(columns, RULES)).toBe(true);
  });

  afterAll(async () => {
    await source?.end();
    await db?.drop();
  });

  it("gives the twin the text transform gives, value for value, across chunk boundaries", async () => {
    const text = await copyThrough("via_text", "text");
    const binary = await copyThrough("via_binary", "binary", true);
    expect(text.rows).toBe(3000);
    expect(binary.rows).toBe(3000);
    const viaText = await rows("via_text");
    expect(viaText).toHaveLength(3000);
    expect(await rows("via_binary")).toEqual(viaText);
    // The rules did something: no email, phone or ssn survived, notes are gone, the constant is there.
    const { rows: leaks } = await source.query(`
      SELECT count(*) FILTER (WHERE r.email = s.email OR r.phone = s.phone OR r.ssn = s.ssn OR r.account = s.account)::int AS leaks,
             count(*) FILTER (WHERE r.notes IS NOT NULL)::int AS notes, count(*) FILTER (WHERE r.plan = E'démo\tplan')::int AS plan
      FROM people s JOIN via_binary r USING (id)`);
    expect(leaks[0]).toEqual({ leaks: 0, notes: 0, plan: 3000 });
    // Shuffled columns: the same values, moved between rows.
    for (const col of ["small", "nick"]) expect(await sorted("via_binary", col)).toEqual(await sorted("people", col));
    const { rows: moved } = await source.query("SELECT count(*)::int AS same FROM people s JOIN via_binary r USING (id) WHERE r.small = s.small");
    expect(moved[0].same).toBeLessThan(300);
  });

  it("gives the same twin on worker threads (whole rows cut from the binary stream, header first, trailer last)", async () => {
    // Shuffled columns keep a table on one thread, so this run leaves them out.
    const noShuffle = Object.fromEntries(Object.entries(RULES).filter(([, r]) => r.rule !== "shuffle"));
    const once = async (table: string, threads: number) => {
      const target = await connect(db.url);
      try {
        await target.query(`CREATE TABLE ${table} (LIKE people INCLUDING ALL)`);
        const opts = { columns, rules: noShuffle, salt: Buffer.from("binary-test-salt"), format: "binary" as const };
        const transform = threads > 1 ? createParallelRedactTransform({ ...opts, threads }) : createBinaryRedactTransform(opts);
        const w = " WITH (FORMAT binary)";
        await pipeline(source.query(copyTo(`COPY (SELECT ${cols()} FROM people) TO STDOUT${w}`)), choppy(), transform, target.query(copyFrom(`COPY ${table} (${cols()}) FROM STDIN${w}`)));
        return transform.stats();
      } finally {
        await target.end();
      }
    };
    const one = await once("threads_1", 1);
    const two = await once("threads_2", 2);
    expect(two.rows).toBe(3000);
    expect(two.bytesOut).toBe(one.bytesOut);
    const all = (t: string) => source.query(`SELECT (x.*)::text AS r FROM ${t} x ORDER BY id`).then((r) => r.rows.map((x) => x.r as string));
    const single = await all("threads_1");
    expect(single).toHaveLength(3000);
    expect(await all("threads_2")).toEqual(single);
  });

  it("refuses a stream cut in the middle of a row, or rows of another width", async () => {
    const { rows } = await source.query(`SELECT count(*)::int AS n FROM people`);
    expect(rows[0].n).toBe(3000);
    const whole: Buffer[] = [];
    await pipeline(source.query(copyTo(`COPY (SELECT ${cols()} FROM people WHERE id <= 3) TO STDOUT WITH (FORMAT binary)`)), new Transform({ transform(c: Buffer, _e, cb) { whole.push(c); cb(); } }));
    const data = Buffer.concat(whole);
    const run = (bytes: Buffer, cols: ColumnMeta[]) => pipeline(Readable.from([bytes]), createBinaryRedactTransform({ columns: cols, rules: RULES, salt: Buffer.from("s") }), new Transform({ transform(_c, _e, cb) { cb(); } }));
    await expect(run(data.subarray(0, data.length - 40), columns)).rejects.toThrow(CopyFormatError);
    await expect(run(data.subarray(0, data.length - 40), columns)).rejects.toThrow(/ended in the middle of a row/);
    await expect(run(data, [...columns, columnMeta("extra", "text")])).rejects.toThrow(/Row 1 has 22 fields; expected 23/);
    await expect(run(Buffer.from("1\tAna\n"), columns)).rejects.toThrow(/did not send binary COPY data/);
    await expect(run(data, columns)).resolves.toBeUndefined();
    const threaded = (bytes: Buffer, cols: ColumnMeta[]) => pipeline(Readable.from([bytes]), createParallelRedactTransform({ columns: cols, rules: { email: RULES.email }, salt: Buffer.from("s"), threads: 2, format: "binary" }), new Transform({ transform(_c, _e, cb) { cb(); } }));
    await expect(threaded(data.subarray(0, data.length - 40), columns)).rejects.toThrow(/ended in the middle of a row/);
    await expect(threaded(data, [...columns, columnMeta("extra", "text")])).rejects.toThrow(/Row 1 has 22 fields; expected 23/);
  });
});

describe("binaryRedactable", () => {
  it("takes text and integer columns, and rules that never read the value on any type", () => {
    const cols = [columnMeta("t", "text"), columnMeta("v", "varchar"), columnMeta("n", "int4"), columnMeta("d", "date"), columnMeta("j", "jsonb"), columnMeta("a", "text[]")];
    expect(binaryRedactable(cols, { t: { rule: "fake", kind: "email" }, n: { rule: "hash", length: 16, encoding: "hex" }, d: { rule: "null" }, j: { rule: "shuffle" } })).toBe(true);
    expect(binaryRedactable(cols, { d: { rule: "date_shift", maxDays: 30 } })).toBe(false);
    expect(binaryRedactable(cols, { j: { rule: "json_paths", paths: [{ path: "$.a", apply: { rule: "null" } }] } })).toBe(false);
    expect(binaryRedactable(cols, { a: { rule: "fake", kind: "email" } })).toBe(false);
    expect(binaryRedactable(cols, { d: { rule: "constant", value: "2020-01-01" } })).toBe(false);
    expect(binaryRedactable(cols, {})).toBe(true);
  });
});
