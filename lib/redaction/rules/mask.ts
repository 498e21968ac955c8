// mask: hides all but the last characters.
// - keep_last: every character but the last `keepLast` becomes `maskChar` ("************4242").
// - phone / ssn / card: digits other than the last `keepLast` digits are replaced by digits derived
//   from the HMAC of the value (so masked values stay varied and deterministic), separators and
//   other characters are kept, the length never changes. A card number that passed the Luhn
//   check still passes it.
// At least one character is always masked, so a short value is never returned unchanged.
// Text columns only: on numeric columns use numeric_noise or hash.

import type { TScalarRule } from "@/lib/schemas/rules";
import { isTextType, type ScalarType } from "../column-meta";
import { DigestReader } from "../keyed-hash";
import { firstDifferent, type ScalarContext, type ScalarRedactor } from "./common";

type MaskRule = Extract<TScalarRule, { rule: "mask" }>;

export function maskFits(_rule: MaskRule, t: ScalarType, unique: boolean): string | null {
  if (!isTextType(t)) return "only fits text columns (use numeric_noise or hash on numbers)";
  if (unique) return "cannot keep a unique column unique (masked values can coincide); use hash";
  return null;
}

function luhnValid(ds: number[]): boolean {
  let sum = 0;
  for (let i = 0; i < ds.length; i++) {
    let v = ds[ds.length - 1 - i];
    if (i % 2 === 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum % 10 === 0;
}

function maskKeepLast(value: string, keepLast: number, maskChar: string): string {
  const cps = Array.from(value);
  const keep = Math.min(keepLast, cps.length - 1);
  const masked = (c: string) => c.repeat(cps.length - keep) + cps.slice(cps.length - keep).join("");
  const out = masked(maskChar);
  return out !== value ? out : masked(maskChar === "#" ? "*" : "#");
}

export function compileMask(rule: MaskRule, ctx: ScalarContext): ScalarRedactor {
  const { keyed } = ctx;
  const maskChar = rule.maskChar ?? "*";
  const keepLast = rule.keepLast ?? 4;
  const format = rule.format ?? "keep_last";
  const purpose = `mask:${format}`;
  if (format === "keep_last") return (value) => (value.length === 0 ? value : maskKeepLast(value, keepLast, maskChar));
  return (value) => {
    const positions: number[] = [];
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c >= 48 && c <= 57) positions.push(i);
    }
    if (positions.length === 0) return value.length === 0 ? value : maskKeepLast(value, keepLast, maskChar);
    const keep = Math.min(keepLast, positions.length - 1);
    const masked = positions.length - keep;
    const wasLuhn = format === "card" && positions.length >= 12 && luhnValid(positions.map((p) => value.charCodeAt(p) - 48));
    return firstDifferent(value, (attempt) => {
      const d = new DigestReader(keyed.derive(attempt === 0 ? purpose : `${purpose}:${attempt}`, value));
      const digits = positions.map((p, k) => (k < masked ? d.digit() : value.charCodeAt(p) - 48));
      if (wasLuhn) {
        // Set the last masked digit so that the whole number passes the Luhn check again.
        for (let v = 0; v < 10; v++) {
          digits[masked - 1] = v;
          if (luhnValid(digits)) break;
        }
      }
      let out = "";
      let from = 0;
      for (let k = 0; k < masked; k++) {
        out += value.slice(from, positions[k]) + digits[k];
        from = positions[k] + 1;
      }
      return out + value.slice(from);
    });
  };
}
