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

const DATE_FORM = /^(\d{4,})-(\d\d)-(\d\d)(.*?)( BC)?$/;
const MIN_JD = 0; // 4714-11-24 BC, PostgreSQL's first date
const MAX_YEAR = 294276; // timestamp's upper limit

/** Shifts a date/timestamp text form by `days`; null when the text is not a date form. */
export function shiftDateText(value: string, days: number): string | null {
  const m = DATE_FORM.exec(value);
  if (!m) return null;
  const bc = m[5] !== undefined;
  const displayYear = Number(m[1]);
  const year = bc ? 1 - displayYear : displayYear;
  const jd = date2j(year, Number(m[2]), Number(m[3]));
  let shifted = jd + days;
  if (shifted < MIN_JD || j2date(shifted)[0] > MAX_YEAR) shifted = jd - days;
  const [y, mo, d] = j2date(shifted);
  const outBc = y <= 0;
  const yText = String(outBc ? 1 - y : y).padStart(4, "0");
  return `${yText}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}${m[4]}${outBc ? " BC" : ""}`;
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
