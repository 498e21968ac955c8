import type { TWorkflowDefinition } from "../schemas/workflow";
import type { Catalog } from "./catalog";
import { EngineError } from "./errors";
import { validateAgainstCatalog } from "./validate-definition";

// The definition against the run's snapshot catalog, before anything is written. A table or a
// column the workflow names that is gone (dropped or renamed since it was saved) has a code of
// its own, so the job page and the CLI can say exactly that; the previous copy stays as it was.

const UNCHANGED = "The run stopped before writing anything; the previous copy is unchanged.";

export function checkAgainstCatalog(def: TWorkflowDefinition, catalog: Catalog): void {
  const problems = validateAgainstCatalog(def, catalog);
  if (!problems.length) return;
  const missing = problems.filter((p) => p.missing);
  if (missing.length) {
    const columns = missing.some((p) => p.missing === "column");
    throw new EngineError(columns ? "COLUMN_MISSING" : "TABLE_MISSING",
      `The source database changed since the workflow was saved: ${missing.map((p) => p.message).join(" ")} ${UNCHANGED}`,
      columns
        ? "Open the workflow editor: give the column's new name its rule (or remove the rule), save, and run again."
        : "Open the workflow editor: choose the table's new name (or remove it), save, and run again.");
  }
  throw new EngineError("INVALID_DEFINITION", `The workflow does not match the source database: ${problems.map((p) => p.message).join(" ")} ${UNCHANGED}`,
    "Open the workflow editor, fix the rules named above, save, and run again.");
}
