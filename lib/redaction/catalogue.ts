// The one registry of redaction rules: per rule its label, description, option schema, the
// column types it fits, and its compiler. The workflow validator, the editor and the engine all
// go through here.

import type { z } from "zod";
import { ZRule, type TRule, type TRuleName, type TScalarRule, FAKE_KINDS } from "@/lib/schemas/rules";
import {
  INTEGER_RANGES, isArrayColumn, isDateLikeType, isFloatType, isIntegerType, isJsonType, isNumericType, isTextType,
  scalarTypeOf, type ColumnMeta, type ScalarType,
} from "./column-meta";
import { KeyedHash } from "./keyed-hash";
import { mapArrayLiteral } from "@/lib/pipeline/copy-text-literals";
import { charLength, type ScalarContext, type ScalarRedactor } from "./rules/common";
import { compileDateShift, dateShiftFits } from "./rules/date-shift";
import { compileFake, compileFakeWithRelated, fakeFits, type FakeRelated } from "./rules/fake";
import { compileHash, hashFits } from "./rules/hash";
import { compileJsonPaths, jsonPathsFits } from "./rules/json-paths";
import { compileMask, maskFits } from "./rules/mask";
import { compileNumericNoise, numericNoiseFits } from "./rules/numeric-noise";

export { RedactionError } from "./rules/common";

/** Value-level function over PostgreSQL's text output form of a non-null value; returns text form or null. */
export type ValueRedactor = (value: string) => string | null;

type RuleOf<N extends TRuleName> = Extract<TRule, { rule: N }>;
type CatalogueEntry<N extends TRuleName> = {
  label: string;
  description: string;
  /** Applies element by element to array columns (others replace the whole value). */
  elementWise: boolean;
  /** null when the rule fits the (element) type; else the problem, completing "the <label> rule ...". */
  fits(rule: RuleOf<N>, t: ScalarType, col: ColumnMeta): string | null;
  /** A rule with typical options, to ask "could this rule fit at all" (rulesForColumn). */
  examples: RuleOf<N>[];
};

const optionsOf = (name: TRuleName) => ZRule.options.find((o) => o.shape.rule.value === name)!;

export const RULE_CATALOGUE: { [N in TRuleName]: CatalogueEntry<N> & { schema: z.ZodType<RuleOf<N>> } } = {
  null: {
    label: "null",
    description: "Replaces every value with NULL. Not for NOT NULL columns.",
    elementWise: false,
    fits: (_r, _t, col) => (col.notNull ? "cannot empty a NOT NULL column; use constant, fake or hash" : null),
    examples: [{ rule: "null" }],
    schema: optionsOf("null") as never,
  },
  constant: {
    label: "constant",
    description: "Replaces every value with the same fixed text (a value already equal to it stays equal).",
    elementWise: false,
    fits: (r, t, col) => constantFits(r.value, t, col),
    // Examples of values of common types: the editor asks for the value once the rule is picked.
    examples: ["", "0", "false", "2000-01-01", "{}", "00000000-0000-0000-0000-000000000000"].map((value) => ({ rule: "constant" as const, value })),
    schema: optionsOf("constant") as never,
  },
  hash: {
    label: "hash",
    description:
      "HMAC-SHA-256 of the value with your organisation's secret salt: hex or base32 text of the chosen length, a UUID on uuid columns, a keyed permutation on integer columns (keys stay unique and joins still match).",
    elementWise: true,
    fits: (r, t, col) => hashFits(r, t, col.unique),
    examples: [{ rule: "hash", length: 16, encoding: "hex" }],
    schema: optionsOf("hash") as never,
  },
  fake: {
    label: "fake",
    description:
      "A realistic fake (name, email, phone, address, city, postal code, company, username, IP, URL), the same for the same input in every table and run.",
    elementWise: true,
    fits: (r, t, col) => fakeFits(r, t, col.unique),
    examples: FAKE_KINDS.map((kind) => ({ rule: "fake" as const, kind })),
    schema: optionsOf("fake") as never,
  },
  mask: {
    label: "mask",
    description:
      "Hides all but the last characters: with a mask character, or keeping the format of phone, SSN and card numbers with other digits.",
    elementWise: true,
    fits: (r, t, col) => maskFits(r, t, col.unique),
    examples: [{ rule: "mask", format: "keep_last", keepLast: 4, maskChar: "*" }],
    schema: optionsOf("mask") as never,
  },
  date_shift: {
    label: "date_shift",
    description: "Moves dates and timestamps by up to N days earlier or later, the same amount for the same value.",
    elementWise: true,
    fits: (r, t, col) => dateShiftFits(r, t, col.unique),
    examples: [{ rule: "date_shift", maxDays: 30 }],
    schema: optionsOf("date_shift") as never,
  },
  numeric_noise: {
    label: "numeric_noise",
    description: "Changes numbers by up to ±N %, keeping integers whole and within their type, and numeric's decimals.",
    elementWise: true,
    fits: (r, t, col) => numericNoiseFits(r, t, col.unique),
    examples: [{ rule: "numeric_noise", percent: 10 }],
    schema: optionsOf("numeric_noise") as never,
  },
  json_paths: {
    label: "json_paths",
    description: "Applies rules to values inside JSON documents, by path ($.email, $.contacts[*].phone).",
    elementWise: true,
    fits: (r, t) => jsonPathsFits(r, t),
    examples: [{ rule: "json_paths", paths: [{ path: "$.x", apply: { rule: "null" } }] }],
    schema: optionsOf("json_paths") as never,
  },
  shuffle: {
    label: "shuffle",
    description:
      "Moves the column's values between rows (each row gets another row's value) within a window of up to 1,000 consecutive rows of the copy, so the set of values is kept but no longer tied to its row. The values themselves are not hidden, and a window of a single row (a one-row table) cannot be shuffled.",
    elementWise: false,
    fits: () => null,
    examples: [{ rule: "shuffle" }],
    schema: optionsOf("shuffle") as never,
  },
  keep: {
    label: "keep as is",
    description: "Copies the column unchanged: a person reviewed it and decided it holds no personal data.",
    elementWise: false,
    fits: () => null,
    examples: [{ rule: "keep" }],
    schema: optionsOf("keep") as never,
  },
};

function labelOf(rule: TRule): string {
  return rule.rule === "fake" ? `fake ${rule.kind.replace("_", " ")}` : RULE_CATALOGUE[rule.rule].label;
}

/** null when the rule fits; else a message naming the column and the problem. */
export function checkRuleFits(rule: TRule, col: ColumnMeta): string | null {
  const entry = RULE_CATALOGUE[rule.rule] as CatalogueEntry<TRuleName>;
  const t = entry.elementWise ? scalarTypeOf(col) : { baseType: col.baseType, category: col.category, maxLength: col.maxLength, typeName: col.typeName };
  if (entry.elementWise && col.category === "A" && !isArrayColumn(col)) {
    return `Column "${col.name}" (${col.typeName}): the ${labelOf(rule)} rule does not know this array's element type.`;
  }
  const problem = entry.fits(rule as never, t, col);
  return problem ? `Column "${col.name}" (${col.typeName}): the ${labelOf(rule)} rule ${problem}.` : null;
}

/** The rules that can fit this column with some options (for the editor's rule picker). */
export function rulesForColumn(col: ColumnMeta): TRuleName[] {
  return (Object.keys(RULE_CATALOGUE) as TRuleName[]).filter((name) =>
    (RULE_CATALOGUE[name].examples as TRule[]).some((example) => checkRuleFits(example, col) === null),
  );
}

/** Fake kinds that fit the column (for the editor). */
export function fakeKindsForColumn(col: ColumnMeta): (typeof FAKE_KINDS)[number][] {
  return FAKE_KINDS.filter((kind) => checkRuleFits({ rule: "fake", kind }, col) === null);
}

export class RuleDoesNotFitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RuleDoesNotFitError";
  }
}

const keyedBySalt = new Map<string, KeyedHash>();
function keyedHashFor(salt: Buffer): KeyedHash {
  const id = salt.toString("base64");
  let k = keyedBySalt.get(id);
  if (!k) {
    if (keyedBySalt.size > 16) keyedBySalt.clear();
    k = new KeyedHash(salt);
    keyedBySalt.set(id, k);
  }
  return k;
}

function compileScalar(rule: TScalarRule | Extract<TRule, { rule: "json_paths" }>, ctx: ScalarContext): ScalarRedactor {
  switch (rule.rule) {
    case "null":
      return () => null;
    case "constant":
      return () => rule.value;
    case "hash":
      return compileHash(rule, ctx);
    case "fake":
      return compileFake(rule, ctx);
    case "mask":
      return compileMask(rule, ctx);
    case "date_shift":
      return compileDateShift(rule, ctx);
    case "numeric_noise":
      return compileNumericNoise(rule, ctx);
    case "json_paths":
      return compileJsonPaths(rule, ctx, compileScalar);
  }
}

/**
 * Compiles a rule for a column. Throws RuleDoesNotFitError when checkRuleFits refuses it.
 * shuffle compiles to the identity: the redaction transform moves its values between rows;
 * keep is the identity (the engine's plan drops it before the copy anyway).
 */
export function compileRule(rule: TRule, col: ColumnMeta, ctx: { salt: Buffer }): ValueRedactor {
  const problem = checkRuleFits(rule, col);
  if (problem) throw new RuleDoesNotFitError(problem);
  if (rule.rule === "shuffle" || rule.rule === "keep") return (v) => v;
  const keyed = keyedHashFor(ctx.salt);
  const entry = RULE_CATALOGUE[rule.rule];
  if (!entry.elementWise || !isArrayColumn(col)) {
    return compileScalar(rule, { type: entry.elementWise ? scalarTypeOf(col) : scalarTypeOf(col), unique: col.unique, keyed });
  }
  const element = compileScalar(rule, { type: scalarTypeOf(col), unique: col.unique, keyed });
  const delim = col.elementType === "box" ? ";" : ",";
  return (value) => mapArrayLiteral(value, element, delim);
}

/** Fake kinds that give values to other fake columns of the same row (rules/fake.ts), and what they give. */
export const ROW_SEED_KINDS = { email: ["first_name", "last_name", "full_name"], postal_code: ["city"] } as const;

/**
 * For a fake email or postal code on a scalar text column: per value, its fake (`out`, what
 * compileRule gives) and the related values the fake agrees with (the person's names, the
 * place's city), from one computation. Null for every other rule or column.
 */
export function compileRelated(rule: TRule, col: ColumnMeta, ctx: { salt: Buffer }): ((value: string) => { out: string; related?: FakeRelated }) | null {
  if (rule.rule !== "fake" || !(rule.kind in ROW_SEED_KINDS) || isArrayColumn(col) || checkRuleFits(rule, col)) return null;
  return compileFakeWithRelated(rule, { type: scalarTypeOf(col), unique: col.unique, keyed: keyedHashFor(ctx.salt) });
}

const BOOL = /^(t|f|true|false|yes|no|on|off|1|0)$/i;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

function constantFits(value: string, t: ScalarType, col: ColumnMeta): string | null {
  if (col.unique) return "would give every row the same value in a unique column; use hash";
  if (col.category === "A") return /^\{.*\}$/s.test(value) ? null : "needs an array literal like {a,b} on an array column";
  if (isTextType(t)) {
    return t.maxLength !== null && charLength(value) > t.maxLength ? `value is longer than the column's ${t.maxLength} characters` : null;
  }
  if (isIntegerType(t)) {
    const r = INTEGER_RANGES[t.baseType];
    return /^-?\d+$/.test(value.trim()) && BigInt(value) >= r.min && BigInt(value) <= r.max ? null : "value is not an integer in the column's range";
  }
  if (isNumericType(t) || isFloatType(t)) return Number.isFinite(Number(value)) && value.trim() !== "" ? null : "value is not a number";
  if (t.baseType === "bool") return BOOL.test(value.trim()) ? null : "value is not a boolean (true or false)";
  if (t.baseType === "uuid") return UUID.test(value.trim()) ? null : "value is not a UUID";
  if (isDateLikeType(t)) return /^(\d{4,}-\d\d-\d\d|infinity|-infinity)/.test(value.trim()) ? null : "value is not a date (YYYY-MM-DD)";
  if (isJsonType(t)) {
    try {
      JSON.parse(value);
      return null;
    } catch {
      return "value is not valid JSON";
    }
  }
  return null;
}
