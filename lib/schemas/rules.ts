import { z } from "zod";

// The redaction rules a column can carry: the one contract shared by the workflow editor,
// the engine (lib/redaction compiles these) and the PII scanner's suggestions.
// `keep` is a person's explicit "copy this column as is": the engine copies it unchanged, and a
// column with no rule at all has not been reviewed (see the privacy-by-default checks).

export const FAKE_KINDS = [
  "first_name", "last_name", "full_name", "email", "phone", "street_address", "city",
  "postal_code", "company", "username", "ip", "url",
] as const;
export const ZFakeKind = z.enum(FAKE_KINDS);

export const MASK_FORMATS = ["keep_last", "phone", "ssn", "card"] as const;

const ZNullRule = z.object({ rule: z.literal("null") });
const ZConstantRule = z.object({ rule: z.literal("constant"), value: z.string() });
const ZHashRule = z.object({
  rule: z.literal("hash"),
  /** Characters of output on text columns (at most the column's length limit). */
  length: z.number().int().min(8).max(64).default(16),
  encoding: z.enum(["hex", "base32"]).default("hex"),
});
const ZFakeRule = z.object({ rule: z.literal("fake"), kind: ZFakeKind });
const ZMaskRule = z.object({
  rule: z.literal("mask"),
  format: z.enum(MASK_FORMATS).default("keep_last"),
  keepLast: z.number().int().min(0).max(16).default(4),
  maskChar: z.string().length(1).default("*"),
});
const ZDateShiftRule = z.object({ rule: z.literal("date_shift"), maxDays: z.number().int().min(1).max(3650).default(30) });
const ZNumericNoiseRule = z.object({ rule: z.literal("numeric_noise"), percent: z.number().gt(0).max(100).default(10) });
const ZShuffleRule = z.object({ rule: z.literal("shuffle") });
const ZKeepRule = z.object({ rule: z.literal("keep") });

/** A rule that applies to a scalar value (what json_paths can apply inside a document). */
export const ZScalarRule = z.discriminatedUnion("rule", [
  ZNullRule, ZConstantRule, ZHashRule, ZFakeRule, ZMaskRule, ZDateShiftRule, ZNumericNoiseRule,
]);
export type TScalarRule = z.infer<typeof ZScalarRule>;

const ZJsonPathsRule = z.object({
  rule: z.literal("json_paths"),
  /** Paths like `$.email`, `$.address.street`, `$.contacts[*].phone`. */
  paths: z.array(z.object({ path: z.string().min(2), apply: ZScalarRule })).min(1),
});

export const ZRule = z.discriminatedUnion("rule", [
  ZNullRule, ZConstantRule, ZHashRule, ZFakeRule, ZMaskRule, ZDateShiftRule, ZNumericNoiseRule,
  ZShuffleRule, ZJsonPathsRule, ZKeepRule,
]);
export type TRule = z.infer<typeof ZRule>;
export type TRuleName = TRule["rule"];
