import { loadModule, parseSync } from "libpg-query";
import type { TCustomization } from "../schemas/workflow";
import { parseCustomizationStatement } from "./customization-sql";

// Customization statements checked with PostgreSQL's own grammar (libpg_query, the server's
// parser compiled to WebAssembly: no install scripts, no database needed), so a syntax error is
// refused when the admin saves the statement, not when a run reaches its swap. Only syntax: names
// of tables and columns are checked by the target when the statement runs. The error names the
// position and the token the parser stopped at, which come from the admin's own SQL.

let loaded: Promise<void> | null = null;

/** The syntax error of one statement as "Syntax error at or near "WHERE" (line 1, column 28).", or null. */
export async function statementGrammarError(statement: string): Promise<string | null> {
  const { padded } = parseCustomizationStatement(statement);
  await (loaded ??= loadModule());
  try {
    parseSync(padded);
    return null;
  } catch (err) {
    const details = (err as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    const message = err instanceof Error ? err.message : "syntax error";
    const text = message.charAt(0).toUpperCase() + message.slice(1);
    const at = details?.cursorPosition;
    if (typeof at !== "number" || at < 0) return `${text}.`;
    const before = padded.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    return `${text} (line ${line}, column ${column}).`;
  }
}

/** Per customization (by index) its syntax error; statements the parameter scanner refuses are left to it. */
export async function customizationGrammarErrors(customizations: Pick<TCustomization, "name" | "statement">[]): Promise<{ index: number; message: string }[]> {
  const out: { index: number; message: string }[] = [];
  for (const [index, c] of customizations.entries()) {
    let error: string | null;
    try {
      error = await statementGrammarError(c.statement);
    } catch {
      continue;
    }
    if (error) out.push({ index, message: `Customization "${c.name}": ${error}` });
  }
  return out;
}
