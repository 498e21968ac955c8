import type { TPiiCategory } from "./types";
import { dateYear, findEmbedded, isIpAddress } from "./values";

// Example values for the results page that show the *shape* of what was found without
// revealing it: `j•••@e•••.com`, `•••-••-1234`, `A•••`. Each category reveals at most a few
// characters (see the unit test's limits) and every example is at most MAX_EXAMPLE_LENGTH long.

export const MAX_EXAMPLE_LENGTH = 40;
const B = "•";
const BBB = B.repeat(3);

function firstChar(v: string): string {
  const c = [...v.trim()][0];
  return c && /[\p{L}\p{N}]/u.test(c) ? c : "";
}

function bound(s: string): string {
  const chars = [...s];
  return chars.length <= MAX_EXAMPLE_LENGTH ? s : `${chars.slice(0, MAX_EXAMPLE_LENGTH - 1).join("")}…`;
}

function maskEmail(v: string): string {
  const at = v.lastIndexOf("@");
  if (at < 0) return maskGeneric(v);
  const domain = v.slice(at + 1);
  const tld = /\.([A-Za-z]{2,6})$/.exec(domain)?.[1];
  return `${firstChar(v)}${BBB}@${firstChar(domain)}${BBB}${tld ? `.${tld.toLowerCase()}` : ""}`;
}

/** Every digit but the last `keep` becomes a bullet; separators stay so the format shows. */
function maskDigits(v: string, keep: number): string {
  const s = v.trim().slice(0, 32);
  const total = s.replace(/\D/g, "").length;
  let seen = 0;
  let out = "";
  for (const ch of s) {
    if (/\d/.test(ch)) {
      seen++;
      out += seen > total - keep ? ch : B;
    } else out += /[\s()+.\-/]/.test(ch) ? ch : B;
  }
  return out;
}

function lastDigits(v: string, n: number, min: number): string {
  const d = v.replace(/\D/g, "");
  return d.length >= min ? d.slice(-n) : B.repeat(n);
}

function maskIp(v: string): string {
  const s = v.trim();
  if (!isIpAddress(s)) return maskGeneric(s);
  if (s.includes(":")) return `${s.split(":")[0].slice(0, 4)}:${BBB}`;
  return `${s.split(".")[0]}.${BBB}.${BBB}.${BBB}`;
}

function maskUrl(v: string): string {
  const m = /^([a-z]{2,5}):\/\/([^/]*)/i.exec(v.trim());
  if (!m) return maskGeneric(v);
  return `${m[1].toLowerCase()}://${firstChar(m[2].replace(/^www\./i, ""))}${BBB}`;
}

function maskDate(v: string): string {
  const y = dateYear(v);
  return y === null ? maskGeneric(v) : `${String(y).slice(0, 3)}${B}-${B}${B}-${B}${B}`;
}

function maskGeneric(v: string): string {
  return `${firstChar(v)}${BBB}`;
}

function maskFreeText(v: string): string {
  const found = findEmbedded(v)[0];
  if (!found) return `…${BBB}…`;
  const kind: TPiiCategory = found.kind;
  return `…${maskExample(kind, v.slice(found.start, found.end))}…`;
}

/** A masked rendering of one sampled value, safe to store and show. */
export function maskExample(category: TPiiCategory, value: string): string {
  const v = value.trim();
  if (!v) return "";
  switch (category) {
    case "email": return bound(maskEmail(v));
    case "ssn": return `${BBB}-${B}${B}-${lastDigits(v, 4, 9)}`;
    case "payment_card": return `${B.repeat(4)} ${B.repeat(4)} ${B.repeat(4)} ${lastDigits(v, 4, 13)}`;
    case "phone": {
      const main = v.replace(/\s*(?:x|ext\.?|#)\s*\d{1,6}$/i, "");
      return bound(maskDigits(main, main.replace(/\D/g, "").length >= 7 ? 2 : 0));
    }
    case "ip_address": return bound(maskIp(v));
    case "url": return bound(maskUrl(v));
    case "birth_date":
    case "person_date": return maskDate(v);
    case "geo_coordinates": return bound(maskDigits(v, 0));
    case "free_text_pii": return bound(maskFreeText(v));
    default: return maskGeneric(v);
  }
}

/** Up to `max` distinct masked examples. */
export function maskExamples(category: TPiiCategory, values: Iterable<string>, max = 3): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (out.size >= max) break;
    const m = maskExample(category, v);
    if (m) out.add(m);
  }
  return [...out];
}
