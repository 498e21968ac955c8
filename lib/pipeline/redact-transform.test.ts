import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TRule } from "@/lib/schemas/rules";
import { columnMeta, type ColumnMeta } from "@/lib/redaction/column-meta";
import { CopyFormatError, decodeRow, encodeRow } from "./copy-text";
import { createRedactTransform, SHUFFLE_WINDOW_ROWS } from "./redact-transform";
import { RedactionError } from "@/lib/redaction/catalogue";
import { placesLike } from "@/lib/redaction/places";

const salt = Buffer.from("unit-test-salt-0123456789");

async function run(opts: { columns: ColumnMeta[]; rules: Record<string, TRule>; signal?: AbortSignal }, chunks: Buffer[]) {
  const t = createRedactTransform({ ...opts, salt });
  const out: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    t.on("data", (d: Buffer) => out.push(d));
    t.on("end", resolve);
    t.on("error", reject);
  });
  for (const c of chunks) t.write(c);
  t.end();
  await done;
  return { output: Buffer.concat(out), stats: t.stats() };
}

const lines = (b: Buffer) => b.toString("utf8").split("\n").filter((l, i, a) => i < a.length - 1 || l !== "");

const columns = [
  columnMeta("id", "int4", { notNull: true, unique: true }),
  columnMeta("name", "text"),
  columnMeta("email", "varchar(80)", { unique: true }),
  columnMeta("notes", "text"),
  columnMeta("tags", "text[]"),
  columnMeta("kept", "text"),
];
const rules: Record<string, TRule> = {
  name: { rule: "fake", kind: "full_name" },
  email: { rule: "fake", kind: "email" },
  notes: { rule: "null" },
  tags: { rule: "mask", format: "keep_last", keepLast: 1, maskChar: "*" },
};
const sample = Buffer.from(
  [
    encodeRow(["1", "Zoë Ångström", "zoe@corp.example", "line1\nline2\twith tab \\ backslash", '{a,"b c",NULL}', "keep\tme"]),
    encodeRow(["2", null, "", null, "{}", "\\N"]),
    encodeRow(["3", "日本 🦊", "x@y.z", "", '{"",NULL,"q\\"x"}', ""]),
  ].join(""),
);

describe("createRedactTransform", () => {
  it("with no rules is byte-identical on random rows cut into random chunks", async () => {
    const field = fc.option(fc.string({ unit: "grapheme", maxLength: 20 }), { nil: null });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(field, { minLength: 3, maxLength: 3 }), { maxLength: 30 }), fc.array(fc.nat(), { maxLength: 10 }), async (rows, cuts) => {
        const input = Buffer.from(rows.map(encodeRow).join(""));
        const points = [...new Set(cuts.map((c) => (input.length ? c % input.length : 0)))].sort((a, b) => a - b);
        const chunks = [0, ...points, input.length].slice(1).map((end, i, a) => input.subarray(i === 0 ? 0 : a[i - 1], end));
        const cols = ["a", "b", "c"].map((n) => columnMeta(n, "text"));
        const { output, stats } = await run({ columns: cols, rules: {} }, chunks.length ? chunks : [input]);
        expect(output.equals(input)).toBe(true);
        expect(stats.rows).toBe(rows.length);
      }),
      { numRuns: 200 },
    );
  });

  it("gives the same output for every split point of the input", async () => {
    const whole = (await run({ columns, rules }, [sample])).output;
    for (let cut = 1; cut < sample.length; cut++) {
      const { output } = await run({ columns, rules }, [sample.subarray(0, cut), sample.subarray(cut)]);
      expect(output.equals(whole), `cut at byte ${cut}`).toBe(true);
    }
    // And byte by byte.
    const bytes = Array.from({ length: sample.length }, (_, i) => sample.subarray(i, i + 1));
    expect((await run({ columns, rules }, bytes)).output.equals(whole)).toBe(true);
  });

  it("applies the rules, keeps NULLs and copies other columns exactly", async () => {
    const { output, stats } = await run({ columns, rules }, [sample]);
    const inRows = lines(sample).map((l) => decodeRow(Buffer.from(l)));
    const outRows = lines(output).map((l) => decodeRow(Buffer.from(l)));
    expect(outRows).toHaveLength(3);
    expect(stats).toMatchObject({ rows: 3, bytesIn: sample.length, bytesOut: output.length });
    for (let r = 0; r < 3; r++) {
      const [id, name, email, notes, tags, kept] = outRows[r];
      expect(id).toBe(inRows[r][0]);
      expect(kept).toBe(inRows[r][5]);
      expect(notes).toBeNull();
      if (inRows[r][1] === null) expect(name).toBeNull();
      else expect(name).not.toBe(inRows[r][1]);
      expect(email).not.toBe(inRows[r][2]);
      expect(email).toMatch(/@example\.(com|net|org)$/);
      if (inRows[r][4] !== "{}") expect(tags).not.toBe(inRows[r][4]);
    }
    expect(outRows[0][4]).toBe("{*,**c,NULL}");
    expect(outRows[1][4]).toBe("{}");
  });

  it("is deterministic across runs and columns (joins on redacted values still match)", async () => {
    const cols = [columnMeta("a", "text"), columnMeta("b", "varchar(100)")];
    const r: Record<string, TRule> = { a: { rule: "fake", kind: "email" }, b: { rule: "fake", kind: "email" } };
    const input = Buffer.from(encodeRow(["same@corp.example", "same@corp.example"]));
    const one = decodeRow(Buffer.from(lines((await run({ columns: cols, rules: r }, [input])).output)[0]));
    const two = decodeRow(Buffer.from(lines((await run({ columns: cols, rules: r }, [input])).output)[0]));
    expect(one[0]).toBe(one[1]);
    expect(one).toEqual(two);
  });

  it("writes constants escaped and keeps CRLF line ends", async () => {
    const cols = [columnMeta("a", "text"), columnMeta("b", "text")];
    const { output } = await run({ columns: cols, rules: { a: { rule: "constant", value: "x\ty" } } }, [Buffer.from("secret\tb\r\n\\N\tc\r\n")]);
    expect(output.toString()).toBe("x\\ty\tb\r\n\\N\tc\r\n");
  });

  it("passes a last row without a newline through", async () => {
    const cols = [columnMeta("a", "text"), columnMeta("b", "text")];
    const { output, stats } = await run({ columns: cols, rules: { b: { rule: "null" } } }, [Buffer.from("1\tx\n2\ty")]);
    expect(output.toString()).toBe("1\t\\N\n2\t\\N");
    expect(stats.rows).toBe(2);
  });

  it("reports rows with too few or too many fields as a CopyFormatError", async () => {
    await expect(run({ columns, rules }, [Buffer.from("1\tonly two\n")])).rejects.toBeInstanceOf(CopyFormatError);
    const two = [columnMeta("a", "text"), columnMeta("b", "text")];
    await expect(run({ columns: two, rules: { b: { rule: "null" } } }, [Buffer.from("1\t2\t3\n")])).rejects.toBeInstanceOf(CopyFormatError);
  });

  it("names the column (not the value) when a value cannot be redacted", async () => {
    const cols = [columnMeta("born", "date")];
    const err = await run({ columns: cols, rules: { born: { rule: "date_shift", maxDays: 5 } } }, [Buffer.from("not-a-date-secret\n")]).catch((e: Error) => e);
    expect(err).toBeInstanceOf(RedactionError);
    expect((err as Error).message).toContain('Column "born"');
    expect((err as Error).message).not.toContain("secret");
  });

  it("refuses a rule that does not fit its column, and a rule for an unknown column", () => {
    expect(() => createRedactTransform({ columns: [columnMeta("age", "int4")], rules: { age: { rule: "fake", kind: "email" } }, salt })).toThrow(/Column "age"/);
    expect(() => createRedactTransform({ columns: [columnMeta("a", "text")], rules: { b: { rule: "null" } }, salt })).toThrow(/"b"/);
  });

  it("shuffles values between rows within the window: same values, none left in its row", async () => {
    const cols = [columnMeta("id", "int4"), columnMeta("city", "text"), columnMeta("zip", "text")];
    const n = SHUFFLE_WINDOW_ROWS + 250;
    const rows = Array.from({ length: n }, (_, i) => [String(i), `city-${i}`, i % 7 === 0 ? null : `zip\t${i}`]);
    const input = Buffer.from(rows.map(encodeRow).join(""));
    const { output, stats } = await run({ columns: cols, rules: { city: { rule: "shuffle" }, zip: { rule: "shuffle" } } }, [input.subarray(0, 5000), input.subarray(5000)]);
    const out = lines(output).map((l) => decodeRow(Buffer.from(l)));
    expect(stats.rows).toBe(n);
    expect(out.map((r) => r[0])).toEqual(rows.map((r) => r[0]));
    expect(out.map((r) => r[1]).sort()).toEqual(rows.map((r) => r[1]).sort());
    expect(out.map((r) => r[2] ?? "").sort()).toEqual(rows.map((r) => r[2] ?? "").sort());
    for (let i = 0; i < n; i++) expect(out[i][1]).not.toBe(rows[i][1]);
    // Bounded window: a value moves only within its window of rows.
    for (let i = 0; i < n; i++) {
      const from = Number(out[i][1]!.slice(5));
      expect(Math.floor(from / SHUFFLE_WINDOW_ROWS)).toBe(Math.floor(i / SHUFFLE_WINDOW_ROWS));
    }
  });

  it("mixes shuffled columns with other rules in the same row", async () => {
    const cols = [columnMeta("id", "int4"), columnMeta("name", "text"), columnMeta("city", "text"), columnMeta("notes", "text"), columnMeta("tail", "text")];
    const rows = Array.from({ length: 50 }, (_, i) => [String(i), `name ${i}`, `city\t${i}`, `note ${i}`, `tail ${i}`]);
    const { output } = await run(
      { columns: cols, rules: { name: { rule: "fake", kind: "first_name" }, city: { rule: "shuffle" }, notes: { rule: "null" } } },
      [Buffer.from(rows.map(encodeRow).join(""))],
    );
    const out = lines(output).map((l) => decodeRow(Buffer.from(l)));
    expect(out).toHaveLength(50);
    out.forEach((r, i) => {
      expect(r[0]).toBe(String(i));
      expect(r[1]).toMatch(/^[A-Z][a-z]+$/);
      expect(r[2]).not.toBe(rows[i][2]);
      expect(r[3]).toBeNull();
      expect(r[4]).toBe(`tail ${i}`);
    });
    expect(out.map((r) => r[2]).sort()).toEqual(rows.map((r) => r[2]).sort());
  });

  it("stops with an AbortError when the signal fires", async () => {
    const ac = new AbortController();
    const t = createRedactTransform({ columns, rules, salt, signal: ac.signal });
    const failed = new Promise<Error>((resolve) => t.on("error", resolve));
    t.write(sample);
    ac.abort();
    expect((await failed).name).toBe("AbortError");
  });

  it("never throws anything but format/redaction errors on random bytes, and always finishes", async () => {
    const cols = [
      columnMeta("a", "text"), columnMeta("b", "text[]"), columnMeta("c", "jsonb"), columnMeta("d", "int4"),
      columnMeta("e", "date"), columnMeta("f", "text"),
    ];
    const fuzzRules: Record<string, TRule> = {
      a: { rule: "fake", kind: "email" },
      b: { rule: "hash", length: 16, encoding: "hex" },
      c: { rule: "json_paths", paths: [{ path: "$.a[*].b", apply: { rule: "mask", format: "phone", keepLast: 2, maskChar: "*" } }] },
      d: { rule: "numeric_noise", percent: 5 },
      e: { rule: "date_shift", maxDays: 3 },
    };
    const alphabet = fc.constantFrom(..."\t\n\\N{}\",01a-é:[]x".split("").map((c) => Buffer.from(c)));
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u)), fc.array(alphabet, { maxLength: 120 }).map((a) => Buffer.concat(a)));
    await fc.assert(
      fc.asyncProperty(bytes, fc.nat(200), async (input, cut) => {
        const at = Math.min(cut, input.length);
        try {
          await run({ columns: cols, rules: fuzzRules }, [input.subarray(0, at), input.subarray(at)]);
        } catch (e) {
          expect(e instanceof CopyFormatError || e instanceof RedactionError, String(e)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("row agreement of fakes", () => {
  const person = [
    columnMeta("id", "int4", { notNull: true, unique: true }),
    columnMeta("first_name", "varchar(40)", { notNull: true }),
    columnMeta("last_name", "text"),
    columnMeta("full_name", "text"),
    columnMeta("city", "text"),
    columnMeta("email", "varchar(100)", { unique: true, notNull: true }),
    columnMeta("postal_code", "varchar(10)"),
  ];
  const personRules: Record<string, TRule> = {
    first_name: { rule: "fake", kind: "first_name" },
    last_name: { rule: "fake", kind: "last_name" },
    full_name: { rule: "fake", kind: "full_name" },
    city: { rule: "fake", kind: "city" },
    email: { rule: "fake", kind: "email" },
    postal_code: { rule: "fake", kind: "postal_code" },
  };
  const input = Array.from({ length: 300 }, (_, i) => [String(i), `Given${i}`, i % 7 === 0 ? null : `Family${i}`, `Given${i} Family${i}`, `Town${i}`, `person${i}@corp.example`, [`${10000 + i * 31}`, `SW1A ${i % 9}AA`, `M5V ${i % 9}T6`, `AB-${i % 90 + 10}`][i % 4]]);
  const encode = (rows: (string | null)[][]) => Buffer.from(rows.map((r) => encodeRow(r)).join(""));

  it("a row's fake names come from its fake email, its city from its fake postal code; deterministic; the email alone decides the email", async () => {
    const { output } = await run({ columns: person, rules: personRules }, [encode(input)]);
    const rows = lines(output).map((l) => decodeRow(Buffer.from(l)));
    const emailAlone = await run({ columns: [person[5]], rules: { email: personRules.email } }, [encode(input.map((r) => [r[5]]))]);
    const aloneRows = lines(emailAlone.output);
    let agreeing = 0;
    rows.forEach((r, i) => {
      const [, first, last, full, city, email, postal] = r as string[];
      expect(email).toBe(aloneRows[i]); // the email is a function of the email alone: joins and foreign keys still match
      const [f, l] = email.split("@")[0].split(".");
      expect(first.toLowerCase()).toBe(f);
      if (input[i][2] === null) expect(last).toBeNull();
      else expect(last.toLowerCase()).toBe(l);
      expect(full.toLowerCase()).toBe(`${f} ${l}`);
      expect(first).not.toBe(input[i][1]);
      const group = placesLike(postal);
      if (group) {
        expect(group.places).toContainEqual({ city, code: postal });
        agreeing++;
      } else expect(postal).toMatch(/^[A-Z]{2}-\d{2}$/); // no known format: the input's shape, the city its own fake
      expect(city).not.toBe(input[i][4]);
    });
    expect(agreeing).toBe(225);
    expect((await run({ columns: person, rules: personRules }, [encode(input)])).output.equals(output)).toBe(true);
  });

  it("without a seed in the row (NULL email) or where the related value does not fit, a column keeps its own fake", async () => {
    const cols = [columnMeta("first_name", "varchar(4)"), columnMeta("email", "text")];
    const r: Record<string, TRule> = { first_name: { rule: "fake", kind: "first_name" }, email: { rule: "fake", kind: "email" } };
    const own = await run({ columns: [cols[0]], rules: { first_name: r.first_name } }, [encode(Array.from({ length: 50 }, (_, i) => [`N${i}`]))]);
    const both = await run({ columns: cols, rules: r }, [encode(Array.from({ length: 50 }, (_, i) => [`N${i}`, i % 2 ? null : `p${i}@corp.example`]))]);
    const firsts = lines(both.output).map((l) => l.split("\t")[0]);
    const ownFirsts = lines(own.output);
    firsts.forEach((f, i) => {
      expect(f.length).toBeLessThanOrEqual(4);
      if (i % 2) expect(f).toBe(ownFirsts[i]);
    });
  });
});

describe("row agreement keeps the rules' invariants", () => {
  it("on random rows: NULL stays NULL, no value is returned unchanged, varchar(n) holds, the output is deterministic", async () => {
    const cols = [
      columnMeta("first_name", "varchar(6)", { notNull: true }),
      columnMeta("last_name", "bpchar(8)"),
      columnMeta("email", "varchar(40)", { unique: true }),
      columnMeta("city", "varchar(9)"),
      columnMeta("postal_code", "varchar(8)"),
    ];
    const r: Record<string, TRule> = {
      first_name: { rule: "fake", kind: "first_name" }, last_name: { rule: "fake", kind: "last_name" }, email: { rule: "fake", kind: "email" },
      city: { rule: "fake", kind: "city" }, postal_code: { rule: "fake", kind: "postal_code" },
    };
    const text = (max: number) => fc.string({ minLength: 1, maxLength: max });
    const row = fc.tuple(text(6), fc.option(text(8)), fc.option(text(40)), fc.option(fc.oneof(text(9), fc.constantFrom("Berlin", "London", "Paris"))),
      fc.option(fc.oneof(fc.constantFrom("10115", "SW1A 1AA", "M5V 2T6", "1012 AB", "2000", "10001-1234"), text(8))));
    await fc.assert(fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 30 }), async (rows) => {
      const input = Buffer.from(rows.map((x) => encodeRow(x)).join(""));
      const { output } = await run({ columns: cols, rules: r }, [input]);
      expect((await run({ columns: cols, rules: r }, [input])).output.equals(output)).toBe(true);
      lines(output).map((l) => decodeRow(Buffer.from(l))).forEach((out, i) => {
        out.forEach((v, c) => {
          const before = rows[i][c];
          if (before === null) return expect(v).toBeNull();
          expect(v).not.toBeNull();
          expect(Array.from(v!).length).toBeLessThanOrEqual(cols[c].maxLength!);
          expect(c === 1 ? v!.trimEnd() : v).not.toBe(c === 1 ? before.trimEnd() : before);
        });
      });
    }), { numRuns: 200 });
  });
});
