import type { TRule } from "../schemas/rules";
import { followKeys, type KeyPair } from "./follow-keys";

// Privacy by default: every column of a selected table is reviewed by a person before a run may
// copy it. A column is reviewed when it has a rule (`keep` included: "copy as is" is a decision),
// when it follows a redacted key through a foreign key (it takes that key's rule), or when it is
// generated (the target recomputes it from the other, reviewed, columns), or when the table lists
// it in `reviewedColumns` (a saved version's known columns, passed by the worker to the engine).
// Used by the editor (the unreviewed counts), the save service (a version with unreviewed columns
// is a draft) and the engine, on the run's snapshot catalog (lib/pipeline/review-policy.ts).

export type ReviewTable = { schema: string; table: string; rules: Record<string, TRule>; reviewedColumns?: string[] };
export type ReviewCatalogTable = {
  schema: string;
  name: string;
  columns: { name: string; generated?: boolean | string | null }[];
  foreignKeys: { columns: string[]; references: { schema: string; table: string; columns: string[] } }[];
};
export type UnreviewedTable = { schema: string; table: string; columns: string[] };

const idOf = (schema: string, table: string) => `${schema}\u0000${table}`;

/** Per selected table found in the catalog, its columns nobody has reviewed (tables with none are left out). */
export function unreviewedColumns(tables: ReviewTable[], catalog: ReviewCatalogTable[]): UnreviewedTable[] {
  const selected = new Map(tables.map((t) => [idOf(t.schema, t.table), t.rules]));
  const alsoReviewed = new Map(tables.map((t) => [idOf(t.schema, t.table), new Set(t.reviewedColumns ?? [])]));
  const pairs: KeyPair<string>[] = catalog.flatMap((t) => t.foreignKeys.flatMap((fk) => fk.columns.map((childCol, i) => ({
    child: idOf(t.schema, t.name), childCol, parent: idOf(fk.references.schema, fk.references.table), parentCol: fk.references.columns[i] ?? "",
  }))));
  const effective = followKeys(selected, pairs.filter((p) => selected.has(p.child) && selected.has(p.parent)));
  const out: UnreviewedTable[] = [];
  for (const t of catalog) {
    const id = idOf(t.schema, t.name);
    const rules = selected.get(id);
    if (!rules) continue;
    const columns = t.columns
      .filter((c) => !c.generated && !rules[c.name] && !effective.get(id)?.has(c.name) && !alsoReviewed.get(id)?.has(c.name))
      .map((c) => c.name);
    if (columns.length) out.push({ schema: t.schema, table: t.name, columns });
  }
  return out;
}
