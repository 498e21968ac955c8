// hash: HMAC-SHA-256 of the value with the organisation's salt.
// - text: hex or base32, `length` characters (at most the column's limit);
// - uuid: a UUID built from the HMAC (version 8, "custom"), so the column stays a uuid;
// - bytea: `\x` + hex of the HMAC;
// - smallint/integer/bigint: a keyed permutation of the type's range (see integer-permutation.ts),
//   so integer keys stay integers, stay unique and map identically in every referencing column.
// The column name is not part of the key: equal inputs hash equally in every table (joins match).

import { createHash } from "node:crypto";
import type { TScalarRule } from "@/lib/schemas/rules";
import { isIntegerType, isTextType, type ScalarType } from "../column-meta";
import { base32, firstDifferent, type ScalarContext, type ScalarRedactor } from "./common";
import { integerPermutation } from "./integer-permutation";

type HashRule = Extract<TScalarRule, { rule: "hash" }>;

export function hashFits(rule: HashRule, t: ScalarType, unique: boolean): string | null {
  if (t.baseType === "uuid" || t.baseType === "bytea" || isIntegerType(t)) return null;
  if (!isTextType(t)) return "only fits text, uuid, bytea and integer columns";
  const len = Math.min(rule.length, t.maxLength ?? Infinity);
  const bits = len * ((rule.encoding ?? "hex") === "hex" ? 4 : 5);
  if (unique && bits < 64) return `needs at least 64 bits of output on a unique column (16 hex or 13 base32 characters; this gives ${len})`;
  if (len < 8) return "needs room for at least 8 characters";
  return null;
}

export function compileHash(rule: HashRule, ctx: ScalarContext): ScalarRedactor {
  const { type: t, keyed } = ctx;
  if (isIntegerType(t)) return integerPermutation(t.baseType as "int2" | "int4" | "int8", keyed);
  const digestOf = (value: string, attempt: number) => (attempt === 0 ? keyed.digest(value) : keyed.derive(`hash:${attempt}`, value));
  if (t.baseType === "uuid") {
    return (value) =>
      firstDifferent(value, (a) => {
        const h = Buffer.from(digestOf(value, a).subarray(0, 16));
        h[6] = (h[6] & 0x0f) | 0x80;
        h[8] = (h[8] & 0x3f) | 0x80;
        const x = h.toString("hex");
        return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
      });
  }
  if (t.baseType === "bytea") {
    const bytes = Math.max(4, Math.ceil(rule.length / 2));
    return (value) => firstDifferent(value, (a) => "\\x" + digestOf(value, a).toString("hex", 0, Math.min(32, bytes)));
  }
  const len = Math.min(rule.length, t.maxLength ?? Infinity);
  const hex = (rule.encoding ?? "hex") === "hex";
  const encode = hex
    ? (d: Buffer) => d.toString("hex").slice(0, len)
    : (d: Buffer) => base32(len > 51 ? Buffer.concat([d, createHash("sha256").update(d).digest()]) : d, len);
  const variant = (value: string, a: number) => encode(digestOf(value, a));
  return (value) => {
    // The common case without a closure or a Buffer: hex text that differs from the input.
    if (hex) {
      const out = keyed.digestHex(value, len);
      if (out !== value) return out;
    }
    return firstDifferent(value, (a) => variant(value, a));
  };
}
