import { isIP } from "node:net";

// Value patterns for the PII categories, each a pure predicate on one sampled value (as text).
// Checksums (Luhn, IBAN mod 97, VIN check digit) keep look-alike numbers out.

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}$/;
export function isEmail(v: string): boolean {
  return v.length <= 254 && EMAIL.test(v.trim());
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const US_DATE = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/;
/** The year of a date value (ISO or MM/DD/YYYY), or null when the value is not a date. */
export function dateYear(v: string): number | null {
  const s = v.trim();
  const iso = ISO_DATE.exec(s);
  if (iso) return validDate(+iso[1], +iso[2], +iso[3]) ? +iso[1] : null;
  const us = US_DATE.exec(s);
  if (us) return validDate(+us[3], +us[1], +us[2]) || validDate(+us[3], +us[2], +us[1]) ? +us[3] : null;
  return null;
}
function validDate(y: number, m: number, d: number): boolean {
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}
export function isDate(v: string): boolean {
  return dateYear(v) !== null;
}
/** A plausible date of birth: a date between 1880 and today. */
export function isBirthDate(v: string): boolean {
  const y = dateYear(v);
  return y !== null && y >= 1880 && y <= new Date().getUTCFullYear();
}

const SSN_DASHED = /^(\d{3})[- ](\d{2})[- ](\d{4})$/;
/** SSN/ITIN format ddd-dd-dddd (or spaces); `bare` also accepts nine plain digits (only used when the name says SSN). */
export function isSsn(v: string, bare = false): boolean {
  const s = v.trim();
  const m = SSN_DASHED.exec(s) ?? (bare && /^\d{7,9}$/.test(s) ? /^(\d{3})(\d{2})(\d{4})$/.exec(s.padStart(9, "0")) : null);
  if (!m) return false;
  return m[1] !== "000" && m[1] !== "666" && m[2] !== "00" && m[3] !== "0000";
}

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A payment card number: 13–19 digits (spaces/dashes allowed), a card-network prefix, Luhn-valid. */
export function isCardNumber(v: string): boolean {
  const s = v.trim();
  if (!/^\d[\d -]{11,22}\d$/.test(s)) return false;
  const digits = s.replace(/[ -]/g, "");
  return digits.length >= 13 && digits.length <= 19 && /^[2-6]/.test(digits) && luhnValid(digits);
}

const PHONE = /^(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{1,15}(?:[\s.-]\d{1,6}){0,5}(?:\s*(?:x|ext\.?|#)\s*\d{1,6})?$/i;
/**
 * A phone or fax number. `formatted` (the default) requires separators or a leading `+`, so that
 * bare digit strings (ids, amounts) are not taken for phone numbers; the name check relaxes it.
 */
export function isPhone(v: string, formatted = true): boolean {
  const s = v.trim();
  if (s.length > 32 || !PHONE.test(s)) return false;
  const main = s.replace(/\s*(?:x|ext\.?|#)\s*\d{1,6}$/i, "");
  const digits = main.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return false;
  if (isDate(s) || SSN_DASHED.test(s) || isIP(s) !== 0 || /^\d+\.\d+$/.test(s)) return false;
  if (!formatted) return true;
  return main.startsWith("+") || /[\s().-]/.test(main);
}

export function isIpAddress(v: string): boolean {
  const s = v.trim().replace(/\/\d{1,3}$/, "");
  return isIP(s) !== 0;
}

export function isUrl(v: string): boolean {
  const s = v.trim();
  return /^(?:https?|ftp):\/\/[^\s/$.?#][^\s]*$/i.test(s) || /^www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:\/\S*)?$/i.test(s);
}

const US_ZIP = /^\d{5}(?:-\d{4})?$/;
const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/i;
const CA_POSTCODE = /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/i;
const GENERIC_POSTCODE = /^(?=.*\d)[A-Z0-9][A-Z0-9 -]{2,9}$/i;
export function isPostalCode(v: string): boolean {
  const s = v.trim();
  return US_ZIP.test(s) || UK_POSTCODE.test(s) || CA_POSTCODE.test(s) || GENERIC_POSTCODE.test(s);
}
/** Postal codes specific enough to recognise without the column's name (UK, Canada, ZIP+4). */
export function isDistinctivePostalCode(v: string): boolean {
  const s = v.trim();
  return /^\d{5}-\d{4}$/.test(s) || UK_POSTCODE.test(s) || CA_POSTCODE.test(s);
}

export function isCoordinate(v: string): boolean {
  const s = v.trim();
  const pair = /^\(?\s*(-?\d{1,3}\.\d{3,})\s*,\s*(-?\d{1,3}\.\d{3,})\s*\)?$/.exec(s);
  if (pair) return Math.abs(+pair[1]) <= 180 && Math.abs(+pair[2]) <= 180;
  return /^-?\d{1,3}\.\d{2,}$/.test(s) && Math.abs(Number(s)) <= 180;
}

const STREET_SUFFIX = /\b(?:street|st|avenue|ave|road|rd|lane|ln|boulevard|blvd|drive|dr|way|court|ct|place|pl|terrace|row|square|sq|parkway|pkwy|highway|hwy|circle|cir|trail|crescent|close|alley|plaza|suite|apt|unit|strasse|straße|rue|calle|via)\b\.?/i;
/** A house number and a street name ("12 Harbor Lane", "Apt. 4, 9 Rue X"). */
export function isStreetAddress(v: string): boolean {
  const s = v.trim();
  if (s.length < 5 || s.length > 200) return false;
  return (/^\d{1,6}[A-Za-z]?\s+\p{L}/u.test(s) || /\p{L}\s+\d{1,6}[a-z]?\b/u.test(s)) && /\p{L}{2,}/u.test(s);
}
/** Street addresses distinctive enough without the column's name: number, words and a street word. */
export function isDistinctiveStreetAddress(v: string): boolean {
  return isStreetAddress(v) && STREET_SUFFIX.test(v) && /^\d{1,6}[A-Za-z]?\s/.test(v.trim());
}

/** A person's single name: letters (any script), apostrophes, hyphens; no digits. */
export function isNameWord(v: string): boolean {
  return /^\p{L}[\p{L}\p{M}'’ .-]{0,48}$/u.test(v.trim()) && v.trim().split(/\s+/).length <= 3;
}
/** A full name: two to five words of letters, no digits. */
export function isFullName(v: string): boolean {
  const words = v.trim().split(/\s+/);
  return words.length >= 2 && words.length <= 5 && words.every((w) => /^\p{L}[\p{L}\p{M}'’.-]*$/u.test(w));
}
export function isPlaceName(v: string): boolean {
  return /^\p{L}[\p{L}\p{M}'’ .-]{1,60}$/u.test(v.trim());
}

export function isUsername(v: string): boolean {
  return /^@?[A-Za-z0-9][A-Za-z0-9._-]{2,38}$/.test(v.trim());
}

/** An identifier-looking code: letters/digits with at least 2 digits, no spaces (MRNs, licence and plan numbers). */
export function isIdentifierCode(v: string): boolean {
  const s = v.trim();
  return s.length >= 4 && s.length <= 40 && /^[A-Za-z0-9][A-Za-z0-9/._-]*$/.test(s) && (s.match(/\d/g)?.length ?? 0) >= 2;
}

const IBAN = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;
export function isIban(v: string): boolean {
  const s = v.replace(/\s+/g, "").toUpperCase();
  if (!IBAN.test(s)) return false;
  const moved = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const n = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of n) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

const VIN = /^[A-HJ-NPR-Z0-9]{17}$/i;
/** A 17-character vehicle identification number mixing letters and digits. */
export function isVin(v: string): boolean {
  const s = v.trim();
  return VIN.test(s) && /\d/.test(s) && /[A-Z]/i.test(s);
}

export function isMacAddress(v: string): boolean {
  return /^(?:[0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i.test(v.trim()) || /^(?:[0-9a-f]{4}\.){2}[0-9a-f]{4}$/i.test(v.trim());
}
/** IMEI: 15 digits, Luhn-valid. */
export function isImei(v: string): boolean {
  const s = v.trim();
  return /^\d{15}$/.test(s) && luhnValid(s);
}
export function isUuid(v: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v.trim());
}

// Identifiers inside free text: found anywhere in a longer value.
const EMBEDDED_EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}/g;
const EMBEDDED_PHONE = /(?<![\d.:])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?|\b\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}\b(?![.:]\d)/g;
const EMBEDDED_SSN = /\b\d{3}-\d{2}-\d{4}\b/g;
const EMBEDDED_CARD = /\b(?:\d[ -]?){13,19}\b/g;

export type EmbeddedFinding = { kind: "email" | "phone" | "ssn" | "payment_card"; start: number; end: number };

/** Identifiers found inside a free-text value (positions only; callers mask them). */
export function findEmbedded(text: string): EmbeddedFinding[] {
  const out: EmbeddedFinding[] = [];
  const scan = (re: RegExp, kind: EmbeddedFinding["kind"], ok: (m: string) => boolean = () => true) => {
    for (const m of text.matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      if (out.some((f) => start < f.end && end > f.start)) continue;
      if (ok(m[0])) out.push({ kind, start, end });
    }
  };
  scan(EMBEDDED_EMAIL, "email");
  scan(EMBEDDED_SSN, "ssn", (m) => isSsn(m));
  scan(EMBEDDED_CARD, "payment_card", (m) => isCardNumber(m.trim()));
  scan(EMBEDDED_PHONE, "phone", (m) => isPhone(m.trim()));
  return out.sort((a, b) => a.start - b.start);
}
