import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ZRule } from "@/lib/schemas/rules";
import { compileRule } from "../catalogue";
import { columnMeta } from "../column-meta";
import { KeyedHash } from "../keyed-hash";
import { date2j, j2date, shiftDateText } from "./date-shift";
import { makePermutation } from "./integer-permutation";
import { noisyDecimal } from "./numeric-noise";
import { placesLike } from "../places";

const salt = Buffer.from("rules-test-salt");
const compile = (rule: unknown, type: string, opts: { unique?: boolean; notNull?: boolean } = {}) =>
  compileRule(ZRule.parse(rule), columnMeta("c", type, opts), { salt });

describe("hash", () => {
  it("gives hex or base32 of the chosen length, capped by varchar(n)", () => {
    expect(compile({ rule: "hash", length: 24 }, "text")("alice")).toMatch(/^[0-9a-f]{24}$/);
    expect(compile({ rule: "hash", length: 20, encoding: "base32" }, "text")("alice")).toMatch(/^[a-z2-7]{20}$/);
    expect(compile({ rule: "hash", length: 64, encoding: "base32" }, "text")("alice")).toMatch(/^[a-z2-7]{64}$/);
    expect(compile({ rule: "hash", length: 64 }, "varchar(10)")("alice")).toHaveLength(10);
  });

  it("is HMAC-SHA-256 with the salt (no column name in the key)", async () => {
    const { createHmac } = await import("node:crypto");
    expect(compile({ rule: "hash", length: 64 }, "text")("alice")).toBe(createHmac("sha256", salt).update("alice").digest("hex"));
  });

  it("gives a version-8 UUID on uuid columns and \\x hex on bytea", () => {
    expect(compile({ rule: "hash" }, "uuid")("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(compile({ rule: "hash", length: 16 }, "bytea")("\\x0001")).toMatch(/^\\x[0-9a-f]{16}$/);
  });

  it("permutes integers: the whole int2 range maps one to one, keeps the sign, has no fixed point", () => {
    const f = compile({ rule: "hash" }, "int2", { unique: true });
    const seen = new Set<number>();
    const bad: number[] = [];
    for (let v = -32768; v <= 32767; v++) {
      const out = Number(f(String(v)));
      if (!Number.isInteger(out) || out < -32768 || out > 32767 || out === v || out < 0 !== v < 0) bad.push(v);
      seen.add(out);
    }
    expect(bad).toEqual([]);
    expect(seen.size).toBe(65536);
  });

  it("keeps int4 and int8 values in range", () => {
    const i4 = compile({ rule: "hash" }, "int4");
    const i8 = compile({ rule: "hash" }, "int8");
    for (const v of ["2147483647", "-2147483648", "0", "1"]) {
      const out = Number(i4(v));
      expect(out).toBeGreaterThanOrEqual(-2147483648);
      expect(out).toBeLessThanOrEqual(2147483647);
    }
    for (const v of ["9223372036854775807", "-9223372036854775808", "0", "42"]) {
      const out = BigInt(i8(v)!);
      expect(out >= -(2n ** 63n) && out < 2n ** 63n).toBe(true);
      expect(out.toString()).not.toBe(v);
    }
  });

  it("Feistel rounds invert each other", () => {
    const p = makePermutation(31, new KeyedHash(salt), "t");
    fc.assert(
      fc.property(fc.nat(p.hiSize - 1), fc.nat(p.loSize - 1), (h, l) => {
        expect(p.backward(...p.forward(h, l))).toEqual([h, l]);
      }),
    );
  });
});

describe("fake", () => {
  const shapes: Record<string, RegExp> = {
    first_name: /^[A-Z][a-z]+$/,
    last_name: /^[A-Z][a-z]+$/,
    full_name: /^[A-Z][a-z]+ [A-Z][a-z]+$/,
    email: /^[a-z]+\.[a-z]+\.[a-z2-7]{10}@example\.(com|net|org)$/,
    phone: /^\(\d{3}\) 555-\d{4}$/,
    street_address: /^\d{1,4} [A-Z][a-z]+ [A-Z][a-z]+$/,
    city: /^[A-Z][a-z]+$/,
    company: /^.+ (Inc\.|Ltd\.|LLC|GmbH|Co\.)$/,
    username: /^[a-z]+[._][a-z]+_[a-z2-7]{10}$/,
    ip: /^10\.\d{1,3}\.\d{1,3}\.\d{1,3}$/,
    url: /^https:\/\/[a-z]+\.example\.(com|net|org)\/[a-z]+\/[a-z2-7]{10}$/,
  };
  it.each(Object.entries(shapes))("%s looks real", (kind, shape) => {
    const f = compile({ rule: "fake", kind }, "text");
    for (let i = 0; i < 50; i++) expect(f(`input ${i}`)).toMatch(shape);
  });

  it("postal_code keeps the input's country format: a real city-centre code of that format, else the input's shape", () => {
    const f = compile({ rule: "fake", kind: "postal_code" }, "text");
    expect(f("SW1A 1AA")).toMatch(/^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/);
    expect(f("94107-1234")).toMatch(/^\d{5}-\d{4}$/);
    expect(f("M5V 3L9")).toMatch(/^[A-Z]\d[A-Z] \d[A-Z]\d$/);
    expect(f("1017 CT")).toMatch(/^\d{4} [A-Z]{2}$/);
    const five = Array.from({ length: 40 }, (_, i) => f(String(10000 + i * 997)));
    for (const code of five) expect(placesLike(code!)!.places.map((p) => p.code)).toContain(code);
    expect(f("AB-12")).toMatch(/^[A-Z]{2}-\d{2}$/); // no known format: the shape is kept
    // A real code that does not fit the column: the input's shape (it fits, since the input does).
    expect(compile({ rule: "fake", kind: "postal_code" }, "varchar(8)")("SW1A 1AA")).toMatch(/^.{1,8}$/);
  });

  it("is the same for the same input and varies across inputs", () => {
    const f = compile({ rule: "fake", kind: "full_name" }, "text");
    expect(f("Alice Smith")).toBe(compile({ rule: "fake", kind: "full_name" }, "varchar(200)")("Alice Smith"));
    expect(new Set(Array.from({ length: 200 }, (_, i) => f(`p${i}`))).size).toBeGreaterThan(150);
  });

  it("gives a unique column and a plain column referencing it the same fake", () => {
    for (const kind of ["email", "username", "url"]) {
      const unique = compile({ rule: "fake", kind }, "varchar(100)", { unique: true, notNull: true });
      const plain = compile({ rule: "fake", kind }, "varchar(100)");
      for (let i = 0; i < 20; i++) expect(plain(`v${i}@corp.example`)).toBe(unique(`v${i}@corp.example`));
    }
  });

  it("leaves the tag out of short non-unique columns", () => {
    expect(compile({ rule: "fake", kind: "email" }, "varchar(20)")("someone@corp.example")!.length).toBeLessThanOrEqual(20);
    expect(compile({ rule: "fake", kind: "email" }, "varchar(24)")("someone@corp.example")).toMatch(/^[a-z.]+\d{1,2}@example\.(com|net|org)$/);
  });

  it("tags unique emails and keeps them inside varchar(n)", () => {
    const f = compile({ rule: "fake", kind: "email" }, "varchar(26)", { unique: true });
    for (let i = 0; i < 100; i++) {
      const out = f(`someone${i}@corp.example`)!;
      expect(out.length).toBeLessThanOrEqual(26);
      expect(out).toMatch(/\.[a-z2-7]{10}@example\.(com|net|org)$/);
    }
  });

  it("gives IPv6 documentation addresses on unique inet columns and /32 on cidr", () => {
    expect(compile({ rule: "fake", kind: "ip" }, "inet", { unique: true })("192.168.1.1")).toMatch(/^2001:db8(:[0-9a-f]{1,4}){6}$/);
    expect(compile({ rule: "fake", kind: "ip" }, "cidr")("192.168.1.0/24")).toMatch(/^10\.\d+\.\d+\.\d+\/32$/);
  });

  it("never returns a char(n) value that only differs by padding", () => {
    const f = compile({ rule: "fake", kind: "first_name" }, "bpchar(3)");
    for (let i = 0; i < 300; i++) {
      const v = `${["Amy", "Ana", "Ava", "Ben", "Eva", "Ian", "Leo", "Mia", "Zoe"][i % 9]}`;
      expect(f(v)!.trimEnd()).not.toBe(v);
    }
  });
});

describe("mask", () => {
  it("keep_last masks all but the last N characters and always at least one", () => {
    const f = compile({ rule: "mask", keepLast: 4 }, "text");
    expect(f("4111111111111111")).toBe("************1111");
    expect(f("abc")).toBe("*bc");
    expect(f("a")).toBe("*");
    expect(f("****")).toBe("#***");
    expect(f("")).toBe("");
  });

  it("phone/ssn keep separators and length, replace the other digits deterministically", () => {
    const phone = compile({ rule: "mask", format: "phone", keepLast: 2 }, "text");
    const out = phone("+1 (415) 555-0123")!;
    expect(out).toMatch(/^\+\d \(\d{3}\) \d{3}-\d{2}23$/);
    expect(phone("+1 (415) 555-0123")).toBe(out);
    const ssn = compile({ rule: "mask", format: "ssn" }, "text");
    expect(ssn("123-45-6789")).toMatch(/^\d{3}-\d{2}-6789$/);
    expect(new Set(Array.from({ length: 100 }, (_, i) => ssn(`${100 + i}-45-6789`))).size).toBeGreaterThan(90);
  });

  it("phone keeps the country code, a trunk 0 and a plausible first national digit", () => {
    const phone = compile({ rule: "mask", format: "phone", keepLast: 2 }, "text");
    for (let i = 0; i < 30; i++) {
      const n = String(1000 + i);
      expect(phone(`+1 (415) 555-${n}`)).toMatch(new RegExp(`^\\+1 \\([2-9]\\d{2}\\) \\d{3}-\\d{2}${n.slice(2)}$`));
      expect(phone(`+44 20 7946 ${n}`)).toMatch(new RegExp(`^\\+44 [2-9]\\d \\d{4} \\d{2}${n.slice(2)}$`));
      expect(phone(`0049 30 1234${n}`)).toMatch(/^0049 [2-9]\d \d{6}\d{2}$/);
      expect(phone(`+353 1 555 ${n}`)).toMatch(/^\+353 \d \d{3} \d{4}$/);
      expect(phone(`020 7946 ${n}`)).toMatch(/^0[2-9]\d \d{4} \d{4}$/);
    }
    expect(phone("+44 20 7946 0958")).toBe(phone("+44 20 7946 0958"));
    expect(phone("+44 20 7946 0958")).not.toBe("+44 20 7946 0958");
    // A number that is only a country code still changes.
    expect(phone("+44")).not.toBe("+44");
  });

  it("phone on random numbers: same length, separators kept, never unchanged, deterministic", () => {
    const phone = compile({ rule: "mask", format: "phone", keepLast: 2 }, "text");
    const number = fc.tuple(fc.constantFrom("+", "00", ""), fc.array(fc.constantFrom("0", "1", "2", "5", "9", " ", "-", "(", ")"), { minLength: 1, maxLength: 18 }))
      .map(([prefix, chars]) => prefix + chars.join(""));
    fc.assert(fc.property(number, (v) => {
      const out = phone(v)!;
      expect(out).toHaveLength(v.length);
      expect(out).not.toBe(v);
      // Without digits the value is masked character by character (keep_last).
      if (/\d/.test(v)) expect(out.replace(/\d/g, "#")).toBe(v.replace(/\d/g, "#"));
      expect(phone(v)).toBe(out);
    }), { numRuns: 2000 });
  });

  it("card numbers that passed the Luhn check still pass it", () => {
    const luhn = (s: string) => {
      const ds = s.replace(/\D/g, "").split("").map(Number).reverse();
      return ds.reduce((sum, d, i) => sum + (i % 2 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d), 0) % 10 === 0;
    };
    const card = compile({ rule: "mask", format: "card" }, "text");
    for (const v of ["4111 1111 1111 1111", "5500-0000-0000-0004", "340000000000009"]) {
      const out = card(v)!;
      expect(luhn(out)).toBe(true);
      expect(out.slice(-4)).toBe(v.slice(-4));
      expect(out).not.toBe(v);
      expect(out.length).toBe(v.length);
    }
  });
});

describe("date_shift", () => {
  it("date2j/j2date agree with JavaScript dates and invert each other", () => {
    for (let day = -800_000; day < 800_000; day += 997) {
      const d = new Date(Date.UTC(2000, 0, 1) + day * 86_400_000);
      const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
      const jd = date2j(y, m, dd);
      expect(jd).toBe(date2j(2000, 1, 1) + day);
      expect(j2date(jd)).toEqual([y, m, dd]);
    }
  });

  it("shifts dates, timestamps and timestamptz text forms, keeping time, offset and BC", () => {
    expect(shiftDateText("2024-02-28", 1)).toBe("2024-02-29");
    expect(shiftDateText("2023-12-31 23:59:59.999999", 1)).toBe("2024-01-01 23:59:59.999999");
    expect(shiftDateText("2024-03-01 10:00:00+05:30", -1)).toBe("2024-02-29 10:00:00+05:30");
    expect(shiftDateText("0001-01-01", -1)).toBe("0001-12-31 BC");
    expect(shiftDateText("0044-03-15 12:00:00+00 BC", 10)).toBe("0044-03-25 12:00:00+00 BC");
    expect(shiftDateText("4713-01-01 BC", -5)).toBe("4714-12-27 BC");
    expect(shiftDateText("4714-11-25 BC", -5)).toBe("4714-11-30 BC"); // would leave the range: shifted the other way
    expect(shiftDateText("12345-06-07", 1)).toBe("12345-06-08");
    expect(shiftDateText("2024-01-31T10:00:00Z", 1)).toBe("2024-02-01T10:00:00Z");
    expect(shiftDateText("yesterday", 1)).toBeNull();
  });

  it("moves by 1..maxDays, deterministically, and leaves infinities", () => {
    const f = compile({ rule: "date_shift", maxDays: 7 }, "date");
    const base = date2j(2020, 6, 15);
    for (let i = 0; i < 300; i++) {
      const [y, m, d] = j2date(base + i);
      const v = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
      const [, oy, om, od] = /^(\d+)-(\d+)-(\d+)$/.exec(f(v)!)!.map(Number);
      const delta = date2j(oy, om, od) - (base + i);
      expect(Math.abs(delta)).toBeGreaterThanOrEqual(1);
      expect(Math.abs(delta)).toBeLessThanOrEqual(7);
      expect(f(v)).toBe(f(v));
    }
    expect(f("infinity")).toBe("infinity");
    expect(f("-infinity")).toBe("-infinity");
    expect(compile({ rule: "date_shift" }, "timestamptz[]")('{"2024-01-01 00:00:00+00",NULL,infinity}')).toMatch(/^\{"202[34]-\d\d-\d\d 00:00:00\+00",NULL,infinity\}$/);
  });
});

describe("numeric_noise", () => {
  it("keeps integers whole and inside their type's range", () => {
    const i2 = compile({ rule: "numeric_noise", percent: 50 }, "int2");
    for (const v of ["32767", "-32768", "0", "1", "-1", "3", "20000"]) {
      const out = i2(v)!;
      expect(out).toMatch(/^-?\d+$/);
      expect(Number(out)).toBeGreaterThanOrEqual(-32768);
      expect(Number(out)).toBeLessThanOrEqual(32767);
      expect(out).not.toBe(v);
    }
    const i8 = compile({ rule: "numeric_noise", percent: 10 }, "int8");
    const out = BigInt(i8("9000000000000000000")!);
    expect(out <= 9223372036854775807n && out >= 8100000000000000000n).toBe(true);
  });

  it("stays within ±percent and keeps numeric's decimals", () => {
    const f = compile({ rule: "numeric_noise", percent: 10 }, "numeric(10,2)");
    for (let i = 1; i < 300; i++) {
      const v = `${i * 37}.${String(i % 100).padStart(2, "0")}`;
      const out = f(v)!;
      expect(out).toMatch(/^\d+\.\d{2}$/);
      expect(out).not.toBe(v);
      expect(Math.abs(Number(out) / Number(v) - 1)).toBeLessThanOrEqual(0.1 + 0.01 / Number(v) + 1e-9);
    }
    expect(compile({ rule: "numeric_noise", percent: 50 }, "numeric(5,2)")("999.99")).toMatch(/^\d{1,3}\.\d\d$/);
    expect(f("NaN")).toBe("NaN");
    expect(noisyDecimal("0.000", 1000n, null)).toBe("0.001");
    expect(noisyDecimal("-12.5", -100000n, null)).toBe("-11.3");
  });

  it("keeps floats floats and whole floats whole", () => {
    const f = compile({ rule: "numeric_noise", percent: 10 }, "float8");
    expect(Number(f("1.5e+20"))).toBeGreaterThan(1.3e20);
    expect(f("42")).toMatch(/^-?\d+$/);
    expect(f("Infinity")).toBe("Infinity");
    expect(f("0")).not.toBe("0");
  });
});

describe("json_paths", () => {
  const f = compile(
    {
      rule: "json_paths",
      paths: [
        { path: "$.email", apply: { rule: "fake", kind: "email" } },
        { path: "$.contacts[*].phone", apply: { rule: "mask", format: "phone", keepLast: 2 } },
        { path: '$["home address"]', apply: { rule: "fake", kind: "street_address" } },
        { path: "$.salary", apply: { rule: "numeric_noise", percent: 10 } },
        { path: "$.secret", apply: { rule: "null" } },
      ],
    },
    "jsonb",
  );

  it("applies rules at paths and keeps the rest exactly (big numbers, key order)", () => {
    const doc = '{"b": 1, "email": "a@b.c", "contacts": [{"phone": "555-1234", "id": 12345678901234567890}, {"name": "x"}], "2": "two", "home address": "1 Main St", "salary": 5000, "secret": {"k": [1]}}';
    const out = JSON.parse(f(doc)!);
    expect(out.email).toMatch(/@example\./);
    expect(out.contacts[0].phone).toMatch(/^\d{3}-\d{2}34$/);
    expect(out.contacts[1]).toEqual({ name: "x" });
    expect(out["home address"]).not.toBe("1 Main St");
    expect(out.salary).toBeGreaterThanOrEqual(4500);
    expect(out.salary).not.toBe(5000);
    expect(out.secret).toBeNull();
    expect(f(doc)).toContain('"id": 12345678901234567890');
    expect(f(doc)!.indexOf('"b"')).toBeLessThan(f(doc)!.indexOf('"2"'));
  });

  it("drops numbers numeric_noise cannot read instead of failing the copy", () => {
    expect(f('{"salary": 1e400}')).toBe('{"salary": null}');
  });

  it("returns documents with no matching path unchanged, byte for byte", () => {
    for (const doc of ['{"other":  1}', "[1, 2]", '"just a string"', "null", '{"email": null}']) expect(f(doc)).toBe(doc);
  });

  it("applies to arrays of json documents", () => {
    const g = compile({ rule: "json_paths", paths: [{ path: "$.n", apply: { rule: "constant", value: "X" } }] }, "jsonb[]");
    expect(g('{"{\\"n\\": 1}",NULL}')).toBe('{"{\\"n\\": \\"X\\"}",NULL}');
  });
});
