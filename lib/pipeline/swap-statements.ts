import { loadsAsText } from "./catalog";
import { qi, qname } from "./connect";
import type { ClonePlan } from "./plan";

// Statements of the swap transaction (swap.ts), run under the real schema names once the staging
// schemas have taken them: what binds by name to the new objects, or needs the loaded rows and
// built indexes.

/** After the swap, under the real schema names: column defaults (bound by name to the new objects). */
export function defaultStatements(plan: ClonePlan): string[] {
  const out: string[] = [];
  for (const t of plan.relations) {
    for (const c of t.columns) {
      if (c.defaultExpr !== null) out.push(`ALTER TABLE ONLY ${qname(t.schema, t.name)} ALTER COLUMN ${qi(c.name)} SET DEFAULT ${c.defaultExpr}`);
    }
  }
  return out;
}

/**
 * In the swap, under the real schema names and after the schema objects: reg* columns staged as
 * text get their type back (by name). A view or policy over such a column makes this fail (PostgreSQL
 * cannot change the type of a column a view uses).
 */
export function regTypeStatements(plan: ClonePlan): { column: string; type: string; sql: string }[] {
  return plan.relations.filter((t) => t.parentOid === null || !plan.relations.some((p) => p.oid === t.parentOid))
    .flatMap((t) => t.columns.filter(loadsAsText).map((c) => ({
      column: `${t.schema}.${t.name}.${c.name}`, type: c.typeName,
      sql: `ALTER TABLE ${qname(t.schema, t.name)} ALTER COLUMN ${qi(c.name)} TYPE ${c.typeName} USING ${qi(c.name)}::${c.typeName}`,
    })));
}

/**
 * In the swap, under the real schema names and after the defaults: CHECKs whose functions may read
 * other tables (CatalogConstraint.late), added (and validated) once every table is loaded and
 * named as the function's body expects.
 */
export function lateCheckStatements(plan: ClonePlan): string[] {
  return plan.relations.flatMap((t) => t.constraints.filter((c) => c.type === "c" && c.late && !c.inherited)
    .map((c) => `ALTER TABLE ${qname(t.schema, t.name)} ADD CONSTRAINT ${qi(c.name)} ${c.def}`));
}

/** In the swap, under the real names: REPLICA IDENTITY and CLUSTER ON (they name an index, built after the load). */
export function replicaAndClusterStatements(plan: ClonePlan): string[] {
  const out: string[] = [];
  for (const t of plan.relations) {
    const name = qname(t.schema, t.name);
    const replica = t.indexes.find((i) => i.replicaIdentity);
    if (t.replicaIdentity === "f") out.push(`ALTER TABLE ONLY ${name} REPLICA IDENTITY FULL`);
    else if (t.replicaIdentity === "n") out.push(`ALTER TABLE ONLY ${name} REPLICA IDENTITY NOTHING`);
    else if (t.replicaIdentity === "i" && replica) out.push(`ALTER TABLE ONLY ${name} REPLICA IDENTITY USING INDEX ${qi(replica.name)}`);
    const clustered = t.indexes.find((i) => i.clustered);
    if (clustered && t.kind === "r") out.push(`ALTER TABLE ONLY ${name} CLUSTER ON ${qi(clustered.name)}`);
  }
  return out;
}
