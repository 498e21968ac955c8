// date_shift: moves a date, timestamp or timestamptz by 1..maxDays days, earlier or later, by an
// amount derived from the HMAC of the value (deterministic, never zero). The time of day and the
// UTC offset are kept; 'infinity' and '-infinity' are not personal data and stay as they are.
// Dates follow PostgreSQL's proleptic Gregorian calendar, including BC years (ISO DateStyle text
// forms: "2024-02-29", "0044-03-15 12:00:00+00 BC"); day arithmetic uses PostgreSQL's own
// date2j/j2date formulas.

import type { TScalarRule } from "@/lib/schemas/rules";
import { isDateLikeType, type ScalarType } from "../column-meta";
import { DigestReader } from "../keyed-hash";
import { RedactionError, type ScalarContext, type ScalarRedactor } from "./common";

type DateShiftRule = Extract<TScalarRule, { rule: "date_shift" }>;

export function dateShiftFits(_rule: DateShiftRule, t: ScalarType, unique: boolean): string | null {
  if (!isDateLikeType(t)) return "only fits date, timestamp and timestamp with time zone columns";
  if (unique) return "cannot keep a unique column unique (shifted values can coincide)";
  return null;
}

const idiv = (a: number, b: number) => Math.trunc(a / b);

/** PostgreSQL's date2j: Julian day of an astronomical year (1 BC = 0), month, day. */
export function date2j(year: number, month: number, day: number): number {
  let y = year;
  let m = month;
  if (m > 2) {
    m += 1;
    y += 4800;
  } else {
    m += 13;
    y += 4799;
  }
  const century = idiv(y, 100);
  let julian = y * 365 - 32167;
  julian += idiv(y, 4) - century + idiv(century, 4);
  julian += idiv(7834 * m, 256) + day;
  return julian;
}

/** PostgreSQL's j2date. */
export function j2date(jd: number): [number, number, number] {
  let julian = jd + 32044;
  let quad = idiv(julian, 146097);
  const extra = (julian - quad * 146097) * 4 + 3;
  julian += 60 + quad * 3 + idiv(extra, 146097);
  quad = idiv(julian, 1461);
  julian -= quad * 1461;
  let y = idiv(julian * 4, 1461);
  julian = (y !== 0 ? (julian + 305) % 365 : (julian + 306) % 366) + 123;
  y += quad * 4;
  const year = y - 4800;
  quad = idiv(julian * 2141, 65536);
  const day = julian - idiv(7834 * quad, 256);
  const month = ((quad + 10) % 12) + 1;
  return [year, month, day];
}

const MIN_JD = 0; // 4714-11-24 BC, PostgreSQL's first date
const MAX_YEAR = 294276; // timestamp's upper limit
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0"));
/** padStart(2, "0") of a month or day (out of range, e.g. negative, for years PostgreSQL refuses). */
const twoDigits = (n: number) => TWO_DIGITS[n] ?? String(n).padStart(2, "0");
const digitAt = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};
/** `.` of a regular expression (without the s flag) matches anything but these. */
const isLineTerminator = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * Shifts a date/timestamp text form by `days`; null when the text is not a date form.
 *
 * The form is /^(\d{4,})-(\d\d)-(\d\d)(.*?)( BC)?$/ (year, month, day, the rest such as a time
 * and UTC offset, the era), read here by hand: with the match, its five strings and padStart
 * per value, that was half of the rule's time outside the keyed hash (0.25 µs).
 */
export function shiftDateText(value: string, days: number): string | null {
  let p = 0;
  while (digitAt(value, p) >= 0) p++;
  if (p < 4 || value.charCodeAt(p) !== 45 || value.charCodeAt(p + 3) !== 45) return null;
  const m1 = digitAt(value, p + 1), m2 = digitAt(value, p + 2), d1 = digitAt(value, p + 4), d2 = digitAt(value, p + 5);
  if (m1 < 0 || m2 < 0 || d1 < 0 || d2 < 0) return null;
  const bc = value.endsWith(" BC"); // then " BC" starts after the day's digits
  const restEnd = bc ? value.length - 3 : value.length;
  for (let i = p + 6; i < restEnd; i++) if (isLineTerminator(value.charCodeAt(i))) return null;
  const displayYear = Number(value.slice(0, p));
  const year = bc ? 1 - displayYear : displayYear;
  const jd = date2j(year, m1 * 10 + m2, d1 * 10 + d2);
  let shifted = jd + days;
  if (shifted < MIN_JD || j2date(shifted)[0] > MAX_YEAR) shifted = jd - days;
  const [y, mo, d] = j2date(shifted);
  const outBc = y <= 0;
  const outYear = outBc ? 1 - y : y;
  const yText = outYear >= 1000 ? String(outYear) : String(outYear).padStart(4, "0");
  return `${yText}-${twoDigits(mo)}-${twoDigits(d)}${value.slice(p + 6, restEnd)}${outBc ? " BC" : ""}`;
}

export function compileDateShift(rule: DateShiftRule, ctx: ScalarContext): ScalarRedactor {
  const maxDays = rule.maxDays ?? 30;
  const digest = new Uint8Array(32); // one per compiled rule, read before the next value's
  return (value) => {
    if (value === "infinity" || value === "-infinity") return value;
    ctx.keyed.deriveInto("date_shift", value, digest);
    const d = new DigestReader(digest);
    const days = (1 + d.below(maxDays)) * (d.below(2) === 0 ? -1 : 1);
    const out = shiftDateText(value, days);
    if (out === null) throw new RedactionError("date_shift met a value that is not an ISO date or timestamp.");
    return out;
  };
}
