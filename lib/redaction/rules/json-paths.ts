// json_paths: applies scalar rules to values inside json/jsonb documents, addressed by paths
// like `$.email`, `$.address.street`, `$.contacts[*].phone`, `$["odd key"]`. A path that reaches
// an object or array applies the rule to every scalar inside it (null and constant replace the
// whole node). Strings take the rule as text; numbers take numeric_noise as numbers and other
// rules on their text; JSON nulls stay null. A string that date_shift cannot read as a date
// becomes null (it is dropped rather than left readable). Documents where no path matches are
// returned as they are.

import type { TRule, TScalarRule } from "@/lib/schemas/rules";
import { isJsonType, type ScalarType } from "../column-meta";
import { parseJson, parsePath, serializeJson, updateAtPath as updateAt, type JsonNode } from "../json-doc";
import { RedactionError, type ScalarContext, type ScalarRedactor } from "./common";

type JsonPathsRule = Extract<TRule, { rule: "json_paths" }>;
type CompileScalar = (rule: TScalarRule, ctx: ScalarContext) => ScalarRedactor;

const TEXT: ScalarType = { baseType: "text", category: "S", maxLength: null, typeName: "text" };
const NUMERIC: ScalarType = { baseType: "numeric", category: "N", maxLength: null, typeName: "numeric" };
const JSON_NULL: JsonNode = { t: "lit", raw: "null" };

export function jsonPathsFits(rule: JsonPathsRule, t: ScalarType): string | null {
  if (!isJsonType(t)) return "only fits json and jsonb columns";
  const bad = rule.paths.find((p) => parsePath(p.path) === null);
  if (bad) return `has a path it cannot read (${JSON.stringify(bad.path)}); write paths like $.email or $.contacts[*].phone`;
  return null;
}

export function compileJsonPaths(rule: JsonPathsRule, ctx: ScalarContext, compileScalar: CompileScalar): ScalarRedactor {
  const compiled = rule.paths.map(({ path, apply }) => {
    const steps = parsePath(path)!;
    const sub = { keyed: ctx.keyed, unique: false };
    const onText = compileScalar(apply, { ...sub, type: TEXT });
    const onNumber = apply.rule === "numeric_noise" ? compileScalar(apply, { ...sub, type: NUMERIC }) : null;
    const text = (s: string): JsonNode => {
      try {
        const out = onText(s);
        return out === null ? JSON_NULL : { t: "str", v: out };
      } catch (e) {
        if (e instanceof RedactionError) return JSON_NULL;
        throw e;
      }
    };
    const leaf = (node: JsonNode): JsonNode => {
      if (apply.rule === "null") return JSON_NULL;
      if (apply.rule === "constant") return { t: "str", v: apply.value };
      switch (node.t) {
        case "obj":
          return { t: "obj", entries: node.entries.map(([k, v]) => [k, leaf(v)]) };
        case "arr":
          return { t: "arr", items: node.items.map(leaf) };
        case "str":
          return apply.rule === "numeric_noise" && !/^-?\d+(\.\d+)?$/.test(node.v) ? JSON_NULL : text(node.v);
        case "num":
          if (!onNumber) return text(node.raw);
          try {
            return { t: "num", raw: onNumber(normalizeNumber(node.raw)) ?? "null" };
          } catch (e) {
            if (e instanceof RedactionError) return JSON_NULL; // a number it cannot read (1e400): dropped
            throw e;
          }
        case "lit":
          return node.raw === "null" || apply.rule === "numeric_noise" || apply.rule === "date_shift" ? node : text(node.raw);
      }
    };
    return { steps, leaf };
  });
  return (value) => {
    let doc: JsonNode;
    try {
      doc = parseJson(value);
    } catch {
      throw new RedactionError("json_paths met a value that is not valid JSON.");
    }
    let touched = 0;
    for (const { steps, leaf } of compiled) touched += updateAt(doc, steps, leaf);
    return touched === 0 ? value : serializeJson(doc);
  };
}

/** Exponent forms (1e5) become plain decimals so numeric_noise can keep their digits exact. */
function normalizeNumber(raw: string): string {
  if (!/[eE]/.test(raw)) return raw;
  const n = Number(raw);
  return Number.isFinite(n) ? n.toFixed(Math.max(0, Math.min(20, -Math.floor(Math.log10(Math.abs(n) || 1)) + 15))) : raw;
}
