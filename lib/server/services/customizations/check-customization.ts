import { CustomizationSqlError, parseCustomizationStatement } from "../../../pipeline/customization-sql";
import { prepareCustomizations } from "../../../pipeline/customizations";
import { EngineError } from "../../../pipeline/errors";
import type { TCustomization, TCustomizationParam } from "../../../schemas/workflow";
import type { FieldErrors } from "../../errors";

// Checks shared by the admin's customization form and the salesperson's values form. Both use
// the engine's own parser and value coercion, so what is accepted here is what a run accepts.

/** Field errors for a customization definition (statement vs declared parameters), or null. */
export function checkCustomization(c: Pick<TCustomization, "statement" | "params">): FieldErrors | null {
  let used: string[];
  try {
    used = parseCustomizationStatement(c.statement).params;
  } catch (err) {
    if (err instanceof CustomizationSqlError) return { statement: [err.message] };
    throw err;
  }
  const declared = c.params.map((p) => p.name);
  const undeclared = used.filter((n) => !declared.includes(n));
  const unused = declared.filter((n) => !used.includes(n));
  if (undeclared.length) {
    return { statement: [`The statement uses ${undeclared.map((n) => `%(${n})s`).join(", ")}: declare ${undeclared.length > 1 ? "them" : "it"} as a parameter below.`] };
  }
  if (unused.length) return { params: [`${unused.join(", ")} ${unused.length > 1 ? "are" : "is"} declared but not used in the statement.`] };
  return null;
}

/** The parameters a statement uses, in order of first use (for "detect parameters"); [] when it does not parse. */
export function detectParams(statement: string): string[] {
  try {
    return parseCustomizationStatement(statement).params;
  } catch {
    return [];
  }
}

export type CustomizationValue = string | boolean;

/** The error for one value, or null. Empty values are refused: the run would fail on them. */
export function checkValue(p: TCustomizationParam, value: CustomizationValue | undefined): string | null {
  if (p.type === "boolean") return typeof value === "boolean" ? null : "Choose yes or no.";
  if (typeof value !== "string" || !value.trim()) return `Enter ${p.label.toLowerCase()}.`;
  try {
    // One-parameter customization: the engine's coercion decides, with its own message.
    prepareCustomizations([{ name: "check", statement: "SELECT %(v)s", params: [{ ...p, name: "v" }] }], { v: value });
    return null;
  } catch (err) {
    if (err instanceof EngineError) return err.message.replace(/^Customization "check": /, "").replace(/^the value/, "The value");
    throw err;
  }
}

/**
 * Before a run starts: every parameter of the customizations needs a value the run accepts
 * (checkValue). Null when all are fine; else one message naming the parameters by their labels,
 * and a field error per parameter name (the demo form shows them at its inputs).
 */
export function customizationValueErrors(customizations: TCustomization[], values: Record<string, unknown>): { message: string; fieldErrors: FieldErrors } | null {
  const fieldErrors: FieldErrors = {};
  const labels: string[] = [];
  for (const c of customizations) {
    for (const p of c.params) {
      if (fieldErrors[p.name]) continue;
      const v = values[p.name];
      const error = checkValue(p, typeof v === "string" || typeof v === "boolean" ? v : undefined);
      if (error) {
        fieldErrors[p.name] = [error];
        labels.push(`"${p.label}" (customization "${c.name}")`);
      }
    }
  }
  if (!labels.length) return null;
  return {
    message: `This run needs ${labels.length === 1 ? "a value" : "values"} for ${labels.join(", ")}. Fill ${labels.length === 1 ? "it" : "them"} in on the Demos page (Next demo), then run again; no run was started.`,
    fieldErrors,
  };
}
