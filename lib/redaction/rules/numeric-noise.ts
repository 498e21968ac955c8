// numeric_noise: multiplies by (1 ± up to `percent` %), the factor derived from the HMAC of the
// value (deterministic, never exactly 1). Exact decimal arithmetic on the text form:
// - integers stay integers within the type's range (int2/int4/int8);
// - numeric keeps the number of decimals of the input and numeric(p,s)'s limit;
// - float4/float8 stay floats; a whole-number float stays whole.
// A value the noise would not change (0, or a small integer rounding back) moves by one unit of
// its last digit instead. NaN and ±Infinity are not personal data and stay as they are.

import type { TScalarRule } from "@/lib/schemas/rules";
import { INTEGER_RANGES, isFloatType, isIntegerType, isNumericType, numericPrecision, type ScalarType } from "../column-meta";
import { DigestReader } from "../keyed-hash";
import { RedactionError, type ScalarContext, type ScalarRedactor } from "./common";

type NoiseRule = Extract<TScalarRule, { rule: "numeric_noise" }>;

export function numericNoiseFits(_rule: NoiseRule, t: ScalarType, unique: boolean): string | null {
  if (!isIntegerType(t) && !isNumericType(t) && !isFloatType(t)) return "only fits integer, numeric and floating-point columns";
  if (unique) return "cannot keep a unique column unique (noisy values can coincide); use hash on integer keys";
  return null;
}

const DECIMAL = /^(-?)(\d*)(?:\.(\d*))?$/;
const SPECIAL = new Set(["NaN", "Infinity", "-Infinity"]);
const PPM = 1_000_000n;

/** value × (1 + ppm/1e6) on exact decimals, keeping the input's scale, bounded to [min, max]. */
export function noisyDecimal(value: string, ppm: bigint, bounds: { min: bigint; max: bigint } | null): string | null {
  const m = DECIMAL.exec(value);
  if (!m || (m[2] === "" && !m[3])) return null;
  const scale = m[3]?.length ?? 0;
  const unscaled = BigInt((m[1] ?? "") + (m[2] || "0") + (m[3] ?? ""));
  let delta = (unscaled * ppm) / PPM; // rounds toward zero
  if (delta === 0n) delta = ppm < 0n ? -1n : 1n;
  let out = unscaled + delta;
  if (bounds) {
    if (out > bounds.max || out < bounds.min) out = unscaled - delta;
    if (out > bounds.max) out = bounds.max === unscaled ? unscaled - 1n : bounds.max;
    if (out < bounds.min) out = bounds.min === unscaled ? unscaled + 1n : bounds.min;
  }
  const neg = out < 0n;
  const digits = (neg ? -out : out).toString().padStart(scale + 1, "0");
  const text = scale === 0 ? digits : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return (neg ? "-" : "") + text;
}

export function compileNumericNoise(rule: NoiseRule, ctx: ScalarContext): ScalarRedactor {
  const { type: t, keyed } = ctx;
  const maxPpm = Math.max(1, Math.round((rule.percent ?? 10) * 10_000));
  const digest = new Uint8Array(32); // one per compiled rule, read before the next value's
  const factor = (value: string) => {
    keyed.deriveInto("numeric_noise", value, digest);
    const d = new DigestReader(digest);
    const ppm = 1 + d.below(maxPpm);
    return BigInt(d.below(2) === 0 ? -ppm : ppm);
  };
  if (isIntegerType(t)) {
    const bounds = INTEGER_RANGES[t.baseType];
    return (value) => {
      const out = noisyDecimal(value, factor(value), bounds);
      if (out === null) throw new RedactionError("numeric_noise met an integer column value it cannot read.");
      return out;
    };
  }
  if (isNumericType(t)) {
    const p = numericPrecision(t);
    return (value) => {
      if (SPECIAL.has(value)) return value;
      const scale = value.includes(".") ? value.length - value.indexOf(".") - 1 : 0;
      // numeric(p,s): at most p-s integer digits, in units of the value's own scale.
      const limit = p ? 10n ** BigInt(p.precision - p.scale + scale) - 1n : null;
      const out = noisyDecimal(value, factor(value), limit === null ? null : { min: -limit, max: limit });
      if (out === null) throw new RedactionError("numeric_noise met a numeric column value it cannot read.");
      return out;
    };
  }
  return (value) => {
    if (SPECIAL.has(value)) return value;
    const x = Number(value);
    if (!Number.isFinite(x)) throw new RedactionError("numeric_noise met a floating-point value it cannot read.");
    const f = 1 + Number(factor(value)) / 1e6;
    let y = x * f;
    if (Number.isInteger(x)) y = Math.round(y);
    if (t.baseType === "float4") y = Math.fround(y);
    if (y === x) y = x === 0 ? (Number(factor(value)) < 0 ? -1 : 1) : Number.isInteger(x) ? x + Math.sign(f - 1) : x * (1 + Math.sign(f - 1) * 1e-6);
    return String(y);
  };
}
