import type pg from "pg";
import type { TCustomization, TCustomizationParam } from "../schemas/workflow";
import { parseCustomizationStatement } from "./customization-sql";
import { describePgError } from "./describe-pg-error";
import { EngineError } from "./errors";

// Post-load customizations: checked and bound before the run touches anything (a missing or
// malformed value fails the run up front), executed inside the swap transaction as prepared
// statements with a statement timeout. A failure rolls the whole swap back.

export type PreparedCustomization = { name: string; sql: string; values: (string | null)[] };

type Value = string | number | boolean | null;

export function prepareCustomizations(customizations: TCustomization[], values: Record<string, Value> = {}): PreparedCustomization[] {
  return customizations.map((c) => {
    let parsed;
    try {
      parsed = parseCustomizationStatement(c.statement);
    } catch (err) {
      throw new EngineError("CUSTOMIZATION_FAILED", `Customization "${c.name}": ${(err as Error).message}`, "Fix the statement in the workflow's customizations.");
    }
    const declared = new Map(c.params.map((p) => [p.name, p]));
    return {
      name: c.name,
      sql: parsed.sql,
      values: parsed.params.map((name) => {
        const param = declared.get(name);
        if (!param) throw new EngineError("CUSTOMIZATION_FAILED", `Customization "${c.name}" uses parameter ${name}, which is not declared.`, "Declare the parameter in the customization.");
        if (!Object.hasOwn(values, name) || values[name] === undefined) {
          throw new EngineError("CUSTOMIZATION_FAILED", `Customization "${c.name}" needs a value for "${param.label}" (${name}).`, "Enter a value for every customization parameter before running.");
        }
        return coerce(c.name, param, values[name]);
      }),
    };
  });
}

function coerce(customization: string, p: TCustomizationParam, v: Value): string | null {
  if (v === null) return null;
  const bad = (what: string) => new EngineError("CUSTOMIZATION_FAILED", `Customization "${customization}": the value for "${p.label}" is not ${what}.`, "Correct the parameter value.");
  const text = String(v);
  switch (p.type) {
    case "number":
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text.trim())) throw bad("a number");
      return text.trim();
    case "boolean":
      if (typeof v === "boolean") return v ? "true" : "false";
      if (!/^(true|false|yes|no|on|off|1|0)$/i.test(text.trim())) throw bad("true or false");
      return text.trim().toLowerCase();
    case "date":
      if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}(:?\d{2})?)?)?$/.test(text.trim()) || Number.isNaN(Date.parse(text.trim()))) throw bad("a date (YYYY-MM-DD)");
      return text.trim();
    case "url":
      try {
        const u = new URL(text.trim());
        if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
      } catch {
        throw bad("an http(s) URL");
      }
      return text.trim();
    default:
      return text;
  }
}

export async function runCustomizations(client: pg.Client, prepared: PreparedCustomization[], timeoutMs: number): Promise<{ name: string; rowsAffected: number }[]> {
  const results: { name: string; rowsAffected: number }[] = [];
  for (const c of prepared) {
    await client.query(`SET LOCAL statement_timeout = ${Math.round(timeoutMs)}`);
    try {
      const res = await client.query({ text: c.sql, values: c.values });
      results.push({ name: c.name, rowsAffected: res.rowCount ?? 0 });
    } catch (err) {
      // Never the database's message, which can quote values and catalog contents (describe-pg-error.ts).
      const { code, text } = describePgError(err);
      throw new EngineError("CUSTOMIZATION_FAILED", `Customization "${c.name}" failed: ${text}${code ? ` [SQLSTATE ${code}]` : ""}. The previous target is unchanged.`,
        "Fix the customization's statement or parameter values and run again.", { cause: err });
    }
  }
  await client.query("SET LOCAL statement_timeout = 0");
  return results;
}
