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
  /** Functions, operators, casts, views, materialized views and rules, dependencies first (operators
   *  and casts ahead of views: a view's text may need a cast it has no recorded dependency on). */
  order: string[];
  skipped: SkippedObject[];
};

export function resolveObjects(objects: SchemaObjects): Resolution {
  const nodes: Node[] = [
    ...objects.functions.map((f) => ({ ...f, kind: f.kind })),
    ...objects.generated,
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
  // Propagate skips to dependents (breadth-first from every skipped node).
  const dependentsOf = new Map<string, Node[]>();
  for (const n of nodes) {
    for (const d of n.deps) if (d.on === "object") dependentsOf.set(d.key, [...(dependentsOf.get(d.key) ?? []), n]);
  }
  const queue = nodes.filter((n) => reasons.has(n.key));
  while (queue.length) {
    const dep = queue.shift()!;
    for (const n of dependentsOf.get(dep.key) ?? []) {
      if (reasons.has(n.key)) continue;
      reasons.set(n.key, `it depends on ${dep.kind} ${dep.name}, which is skipped`);
      queue.push(n);
    }
  }

  const created = new Set(nodes.filter((n) => !reasons.has(n.key)).map((n) => n.key));
  const orderable = new Set(["function", "procedure", "window function", "aggregate", "operator", "cast", "view", "materialized view", "rule"]);
  const order = topologicalOrder(nodes.filter((n) => created.has(n.key) && orderable.has(n.kind)));
  const skipped = nodes.filter((n) => reasons.has(n.key)).map((n) => ({ kind: n.kind, name: n.name, reason: reasons.get(n.key)! }));
  return { created, order, skipped };
}

function topologicalOrder(nodes: Node[]): string[] {
  const index = new Map(nodes.map((n, i) => [n.key, i]));
  const waitingOn = nodes.map(() => 0);
  const dependents: number[][] = nodes.map(() => []);
  nodes.forEach((n, i) => {
    const deps = new Set(n.deps.flatMap((d) => (d.on === "object" && d.key !== n.key && index.has(d.key) ? [index.get(d.key)!] : [])));
    waitingOn[i] = deps.size;
    for (const d of deps) dependents[d].push(i);
  });
  // Kahn's algorithm; among the ready ones the catalog order wins, so the output is deterministic.
  const ready = new MinQueue();
  waitingOn.forEach((w, i) => { if (w === 0) ready.push(i); });
  const order: string[] = [];
  const done = new Set<number>();
  while (done.size < nodes.length) {
    // PostgreSQL does not let views form cycles; SQL-standard function bodies could in theory
    // (then the first remaining one goes first, and the server reports what it cannot resolve).
    const i = ready.size ? ready.pop() : waitingOn.findIndex((_, j) => !done.has(j));
    if (done.has(i)) continue;
    done.add(i);
    order.push(nodes[i].key);
    for (const j of dependents[i]) if (--waitingOn[j] === 0) ready.push(j);
  }
  return order;
}

/** A binary min-heap of indexes. */
class MinQueue {
  private heap: number[] = [];
  get size() { return this.heap.length; }
  push(v: number) {
    const h = this.heap;
    h.push(v);
    for (let i = h.length - 1; i > 0;) {
      const p = (i - 1) >> 1;
      if (h[p] <= h[i]) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }
  pop(): number {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < h.length && h[l] < h[m]) m = l;
        if (r < h.length && h[r] < h[m]) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}
