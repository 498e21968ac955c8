import { EngineError } from "../errors";
import { resolveObjects } from "./resolve-objects";
import { qi } from "../connect";
import { retargetSchemas } from "../retarget-schemas";
import type { SchemaObjects } from "./types";

// Functions that the selected tables themselves use — in a CHECK constraint, an index
// expression, a generated column or a column default — have to exist before the staging tables
// are built, in the staging schema that becomes their schema at the swap (a function left in
// the previous target schema would be dropped with it, taking the constraint along).
//
// Run these on the target after the staging schemas and types and before the tables, with
// search_path = the staging schemas first (as the engine runs its table DDL). The swap's
// statements later CREATE OR REPLACE the same functions, which changes nothing, and leave out the
// operators created here (CREATE OPERATOR has no OR REPLACE).

export function stagingFunctionStatements(objects: SchemaObjects, stagingSchemaOf: Record<string, string>): string[] {
  const needed = new Set(objects.functionsNeededByTables);
  if (!needed.size) return [];
  const { order, skipped } = resolveObjects(objects);
  const byKey = new Map(objects.functions.map((f) => [f.key, f]));
  for (const f of objects.functions.filter((fn) => needed.has(fn.key))) {
    const skip = skipped.find((s) => s.name === f.name);
    if (skip) {
      throw new EngineError("INVALID_DEFINITION",
        `The selected tables use ${f.kind} ${f.name}, which cannot be copied: ${skip.reason}.`,
        "Select the tables that function needs as well, or remove its use from the table's defaults, CHECK constraints and indexes.");
    }
  }
  const out = ["SET LOCAL check_function_bodies = off"];
  const operators = new Map(objects.generated.filter((g) => g.kind === "operator").map((g) => [g.key, g]));
  const names = new Map(Object.entries(stagingSchemaOf));
  for (const key of order) {
    // An operator a CHECK or index uses: its generated definition names everything qualified, so
    // it is retargeted to the staging schemas (its function is among the needed ones, created before it).
    const op = operators.get(key);
    if (op && needed.has(key)) out.push(retargetSchemas(op.definition, names));
    const f = byKey.get(key);
    if (!f || !needed.has(key) || !f.stagingDefinition) continue;
    const staging = stagingSchemaOf[f.schema];
    if (!staging) continue;
    if (!f.stagingDefinition.startsWith(f.header)) {
      throw new EngineError("INTERNAL", `The definition of ${f.kind} ${f.name} could not be prepared for the staging schema.`,
        "Run the workflow again; if it keeps failing, contact support with the job id.");
    }
    const kind = f.header.startsWith("CREATE OR REPLACE PROCEDURE") ? "PROCEDURE" : "FUNCTION";
    out.push(`CREATE OR REPLACE ${kind} ${qi(staging)}.${f.quotedName}(${f.stagingDefinition.slice(f.header.length)}`.trim());
  }
  return out.length > 1 ? out : [];
}
