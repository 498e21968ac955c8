// fake: a realistic replacement chosen from the HMAC of the value, so the same input gives the
// same fake in every table and run (joins on faked columns still match). Emails and URLs use the
// reserved example.* domains; IP addresses are private (10/8) or, on unique columns, IPv6
// documentation addresses (2001:db8::/32).
//
// Unique columns: only kinds with enough variety are allowed (email, username, url, ip).
// Emails, usernames and URLs embed a 10-character base32 tag (50 bits) from the HMAC whenever
// the column has room for it (always on unique columns), which keeps 1M distinct inputs distinct.
// The tag does not depend on the column's uniqueness, so a unique users.email and a plain
// audit.email referencing it get the same fake (joins and foreign keys still match); only the
// length limit matters (keep referencing columns the same type). IPs are the exception: IPv4
// (10/8) normally, IPv6 documentation addresses on unique columns (IPv4 has too few).

import type { TScalarRule } from "@/lib/schemas/rules";
import { isInetType, isTextType, type ScalarType } from "../column-meta";
import { DigestReader } from "../keyed-hash";
import { placesLike } from "../places";
import { EXAMPLE_DOMAINS, VOCABULARY as V } from "../vocabulary";
import { base32, firstDifferent, fitLength, type ScalarContext, type ScalarRedactor } from "./common";

type FakeRule = Extract<TScalarRule, { rule: "fake" }>;
type FakeKind = FakeRule["kind"];

export const UNIQUE_FAKE_KINDS: readonly FakeKind[] = ["email", "username", "url", "ip"];
const TAG = 10;

/** Shortest sensible output per kind; shorter columns are refused. */
const MIN_LENGTH: Record<FakeKind, number> = {
  first_name: 3, last_name: 3, full_name: 5, email: 14, phone: 10, street_address: 10, city: 5,
  postal_code: 3, company: 5, username: 6, ip: 15, url: 24,
};

export function fakeFits(rule: FakeRule, t: ScalarType, unique: boolean): string | null {
  if (rule.kind === "ip" && isInetType(t)) return null;
  if (!isTextType(t)) return rule.kind === "ip" ? "only fits text and inet/cidr columns" : "only fits text columns";
  if (unique && !UNIQUE_FAKE_KINDS.includes(rule.kind)) {
    return `cannot keep a unique column unique (too few different ${rule.kind.replace("_", " ")}s); use hash, or fake email/username/url/ip`;
  }
  const min = unique ? (rule.kind === "ip" ? 39 : MIN_LENGTH[rule.kind] + TAG + 1) : MIN_LENGTH[rule.kind];
  if (t.maxLength !== null && t.maxLength < min) return `needs room for at least ${min} characters`;
  return null;
}

const lower = (s: string) => s.toLowerCase();
const FIRST_LOWER = V.FIRST_NAMES.map(lower);
const LAST_LOWER = V.LAST_NAMES.map(lower);
const digits = (d: DigestReader, n: number) => {
  let s = "";
  for (let i = 0; i < n; i++) s += d.below(10);
  return s;
};
/** Picks from the words that fit max (falls back to cutting when none do). */
function pickFitting(d: DigestReader, xs: readonly string[], max: number | null): string {
  if (max === null) return d.pick(xs);
  const fitting = xs.filter((x) => x.length <= max);
  return fitting.length > 0 ? d.pick(fitting) : fitLength(d.pick(xs), max);
}

/** Values of other kinds that agree with a fake (see the header). */
export type FakeRelated = Partial<Record<FakeKind, string>>;
type Generated = { out: string; related?: FakeRelated };

function generate(kind: FakeKind, d: DigestReader, input: string, t: ScalarType, tag: string | null, withRelated: boolean): string | Generated {
  const max = t.maxLength;
  switch (kind) {
    case "first_name":
      return pickFitting(d, V.FIRST_NAMES, max);
    case "last_name":
      return pickFitting(d, V.LAST_NAMES, max);
    case "full_name": {
      const first = d.pick(V.FIRST_NAMES);
      const last = d.pick(V.LAST_NAMES);
      const full = `${first} ${last}`;
      return max === null || full.length <= max ? full : fitLength(`${first[0]}. ${last}`, max);
    }
    case "email": {
      const domain = d.pick(EXAMPLE_DOMAINS);
      const first = d.below(V.FIRST_NAMES.length);
      const last = d.below(V.LAST_NAMES.length);
      const name = `${FIRST_LOWER[first]}.${LAST_LOWER[last]}`;
      const suffix = tag ? `.${tag}` : String(d.below(100));
      const local = max === null ? name : name.slice(0, Math.max(1, max - suffix.length - 1 - domain.length));
      const out = fitLength(`${local}${suffix}@${domain}`, max);
      if (!withRelated) return out;
      const firstName = V.FIRST_NAMES[first];
      const lastName = V.LAST_NAMES[last];
      return { out, related: { first_name: firstName, last_name: lastName, full_name: `${firstName} ${lastName}` } };
    }
    case "phone": {
      const area = 200 + d.below(800);
      const line = digits(d, 4);
      const formatted = `(${area}) 555-${line}`;
      return max === null || formatted.length <= max ? formatted : fitLength(`${area}555${line}`, max);
    }
    case "street_address":
      return fitLength(`${1 + d.below(9999)} ${d.pick(V.PLACE_WORDS)} ${d.pick(V.STREET_SUFFIXES)}`, max);
    case "city":
      return fitLength(d.pick(V.PLACE_WORDS) + d.pick(V.CITY_SUFFIXES), max);
    case "postal_code": {
      // A real code of the input's country format, with its city, when it fits the column.
      const group = placesLike(input);
      if (group) {
        const place = d.pick(group.places);
        const code = group.extraDigits ? `${place.code}-${digits(d, group.extraDigits)}` : place.code;
        const cased = input === input.toLowerCase() ? code.toLowerCase() : code;
        if (max === null || cased.length <= max) return withRelated ? { out: cased, related: { city: place.city } } : cased;
      }
      // Else keeps the input's shape: digits stay digits, letters stay letters (and their case).
      let out = "";
      let alnum = 0;
      for (const ch of input) {
        if (ch >= "0" && ch <= "9") {
          out += d.below(10);
          alnum++;
        } else if (/[A-Za-z]/.test(ch)) {
          const c = String.fromCharCode(65 + d.below(26));
          out += ch === ch.toLowerCase() ? c.toLowerCase() : c;
          alnum++;
        } else out += ch;
      }
      return fitLength(alnum === 0 ? digits(d, 5) : out, max);
    }
    case "company": {
      const name =
        d.below(3) === 0
          ? `${d.pick(V.LAST_NAMES)} & ${d.pick(V.LAST_NAMES)}`
          : `${d.pick(V.COMPANY_WORDS)} ${d.pick(V.COMPANY_KINDS)}`;
      const full = `${name} ${d.pick(V.COMPANY_FORMS)}`;
      return max === null || full.length <= max ? full : fitLength(name, max);
    }
    case "username": {
      const base = `${d.pick(FIRST_LOWER)}${d.below(2) ? "." : "_"}${d.pick(LAST_LOWER)}`;
      const suffix = tag ? `_${tag}` : String(d.below(100));
      return `${base.slice(0, Math.max(1, (max ?? Infinity) - suffix.length))}${suffix}`;
    }
    case "ip": {
      if (tag) {
        const groups = Array.from({ length: 6 }, () => d.below(65536).toString(16));
        const ip = `2001:db8:${groups.join(":")}`;
        return t.baseType === "cidr" ? `${ip}/128` : ip;
      }
      const ip = `10.${d.below(256)}.${d.below(256)}.${1 + d.below(254)}`;
      return t.baseType === "cidr" ? `${ip}/32` : ip;
    }
    case "url": {
      const path = `${d.pick(V.URL_PATHS)}/${tag ?? d.below(100000)}`;
      return fitLength(`https://${lower(d.pick(V.PLACE_WORDS))}.${d.pick(EXAMPLE_DOMAINS)}/${path}`, max);
    }
  }
}

export function compileFake(rule: FakeRule, ctx: ScalarContext): ScalarRedactor {
  // Without the related values: no objects per value besides the fake itself.
  const attempt = fakeAttempts(rule, ctx, false);
  const comparable = comparableOf(ctx.type);
  const outOf = (g: string | Generated) => (typeof g === "string" ? g : g.out);
  return (value) => {
    // The first attempt almost always differs from the input: no closure for it.
    const first = outOf(attempt(value, 0));
    const input = comparable(value);
    return first !== input ? first : firstDifferent(input, (a) => outOf(attempt(value, a)));
  };
}

/** The fake and, for emails and postal codes, the values that agree with it (see the header). */
export function compileFakeWithRelated(rule: FakeRule, ctx: ScalarContext): (value: string) => { out: string; related?: FakeRelated } {
  const generated = fakeAttempts(rule, ctx, true);
  const attempt = (value: string, a: number): Generated => {
    const g = generated(value, a);
    return typeof g === "string" ? { out: g } : g;
  };
  const comparable = comparableOf(ctx.type);
  return (value) => {
    // The first attempt almost always differs from the input: no closure for it.
    const first = attempt(value, 0);
    const input = comparable(value);
    if (first.out !== input) return first;
    let related: FakeRelated | undefined;
    const out = firstDifferent(input, (a) => {
      const g = attempt(value, a);
      related = g.related;
      return g.out;
    });
    return { out, related };
  };
}

/** char(n) pads with blanks: compare without them, or "Bob" would count as a change of "Bob  ". */
const comparableOf = (t: ScalarType) => (t.baseType === "bpchar" ? (v: string) => v.trimEnd() : (v: string) => v);

/** Attempt a (0, then 1, 2, ... while the fake equals the input) of the fake for a value, with its related values when asked. */
function fakeAttempts(rule: FakeRule, ctx: ScalarContext, withRelated: boolean): (value: string, a: number) => string | Generated {
  const { keyed, type: t, unique } = ctx;
  const purpose = `fake:${rule.kind}`;
  const tagged =
    rule.kind === "ip"
      ? unique
      : UNIQUE_FAKE_KINDS.includes(rule.kind) && (t.maxLength === null || t.maxLength >= MIN_LENGTH[rule.kind] + TAG + 1);
  const digest = new Uint8Array(32); // one per compiled rule, read before the next value's
  return (value, a) => {
    keyed.deriveInto(a === 0 ? purpose : `${purpose}:${a}`, value, digest);
    const tag = tagged ? base32(digest, TAG, 20) : null;
    return generate(rule.kind, new DigestReader(digest, 20), value, t, tag, withRelated);
  };
}
