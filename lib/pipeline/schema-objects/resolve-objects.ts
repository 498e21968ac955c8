import type { Dependency, SchemaObjects, SkippedObject } from "./types";

// Which candidates can be created on the twin, and in which order. Pure: works on SchemaObjects.
//
// A candidate is skipped when it is unsupported, needs something the twin will not have, or
// needs another candidate that is skipped (to a fixpoint). The others are ordered so that each
// comes after what it depends on (functions before the views that call them, views in
// dependency order); ties keep the catalog's order, so the output is deterministic.

type Node = { key: string; name: string; kind: string; deps: Dependency[]; unsupported?: string };

export type Resolution = {
  /** Keys of the candidates that are created. */
  created: Set<string>;
  /** Functions, views, materialized views and rules, dependencies first. */
  order: string[];
  skipped: SkippedObject[];
};

export function resolveObjects(objects: SchemaObjects): Resolution {
  const nodes: Node[] = [
    ...objects.functions.map((f) => ({ ...f, kind: f.kind })),
    ...objects.views.map((v) => ({ ...v, kind: v.kind })),
    ...objects.rules.map((r) => ({ ...r, kind: "rule" })),
    ...objects.triggers.map((t) => ({ ...t, kind: "trigger" })),
    ...objects.policies.map((p) => ({ ...p, kind: "policy" })),
  ];
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const reasons = new Map<string, string>();
  for (const n of nodes) {
    const missing = n.deps.find((d) => d.on === "missing");
    if (n.unsupported) reasons.set(n.key, n.unsupported);
    else if (missing?.on === "missing") reasons.set(n.key, `it ${missing.reason}`);
    else {
      const unknown = n.deps.find((d) => d.on === "object" && !byKey.has(d.key));
      if (unknown) reasons.set(n.key, "it depends on an object that is not copied");
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const n of nodes) {
      if (reasons.has(n.key)) continue;
      for (const d of n.deps) {
        if (d.on !== "object" || !reasons.has(d.key)) continue;
        const dep = byKey.get(d.key)!;
        reasons.set(n.key, `it depends on ${dep.kind} ${dep.name}, which is skipped`);
        changed = true;
        break;
      }
    }
  }

  const created = new Set(nodes.filter((n) => !reasons.has(n.key)).map((n) => n.key));
  const orderable = new Set(["function", "procedure", "window function", "aggregate", "view", "materialized view", "rule"]);
  const order = topologicalOrder(nodes.filter((n) => created.has(n.key) && orderable.has(n.kind)));
  const skipped = nodes.filter((n) => reasons.has(n.key)).map((n) => ({ kind: n.kind, name: n.name, reason: reasons.get(n.key)! }));
  return { created, order, skipped };
}

function topologicalOrder(nodes: Node[]): string[] {
  const keys = new Set(nodes.map((n) => n.key));
  const pending = new Map(nodes.map((n) => [n.key, new Set(n.deps.flatMap((d) => (d.on === "object" && keys.has(d.key) && d.key !== n.key ? [d.key] : [])))]));
  const order: string[] = [];
  while (pending.size) {
    const ready = nodes.filter((n) => pending.has(n.key) && pending.get(n.key)!.size === 0);
    // PostgreSQL does not let views form cycles; SQL-standard function bodies could in theory
    // (created in catalog order then, the server reports what it cannot resolve).
    const batch = ready.length ? ready : [nodes.find((n) => pending.has(n.key))!];
    for (const n of batch) {
      pending.delete(n.key);
      order.push(n.key);
      for (const deps of pending.values()) deps.delete(n.key);
    }
  }
  return order;
}
