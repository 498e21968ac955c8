// A small JSON reader/writer for json_paths that keeps what JSON.parse would lose: numbers as
// their exact text (no float rounding of big ids), key order (JS objects move integer-like keys
// first) and duplicate keys of a json (not jsonb) value.

export type JsonNode =
  | { t: "obj"; entries: [string, JsonNode][] }
  | { t: "arr"; items: JsonNode[] }
  | { t: "str"; v: string }
  | { t: "num"; raw: string }
  | { t: "lit"; raw: "true" | "false" | "null" };

export class JsonSyntaxError extends Error {}

export function parseJson(text: string): JsonNode {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r")) i++;
  };
  const fail = (): never => {
    throw new JsonSyntaxError(`Invalid JSON at offset ${i}.`);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): JsonNode => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const entries: [string, JsonNode][] = [];
      ws();
      if (text[i] === "}") {
        i++;
        return { t: "obj", entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const k = str();
        ws();
        if (text[i++] !== ":") fail();
        entries.push([k, value()]);
        ws();
        const sep = text[i++];
        if (sep === "}") return { t: "obj", entries };
        if (sep !== ",") fail();
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return { t: "arr", items };
      }
      for (;;) {
        items.push(value());
        ws();
        const sep = text[i++];
        if (sep === "]") return { t: "arr", items };
        if (sep !== ",") fail();
      }
    }
    if (c === '"') return { t: "str", v: str() };
    for (const lit of ["true", "false", "null"] as const) {
      if (text.startsWith(lit, i)) {
        i += lit.length;
        return { t: "lit", raw: lit };
      }
    }
    const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
    return { t: "num", raw: m![0] };
  };
  const node = value();
  ws();
  if (i !== text.length) fail();
  return node;
}

export function serializeJson(node: JsonNode): string {
  switch (node.t) {
    case "obj":
      return "{" + node.entries.map(([k, v]) => `${JSON.stringify(k)}: ${serializeJson(v)}`).join(", ") + "}";
    case "arr":
      return "[" + node.items.map(serializeJson).join(", ") + "]";
    case "str":
      return JSON.stringify(node.v);
    case "num":
      return node.raw;
    case "lit":
      return node.raw;
  }
}

/** A parsed path: `$.a.b`, `$.list[*].email`, `$["odd key"][0]`. */
export type PathStep = { key: string } | { index: number } | { wildcard: true };

export function parsePath(path: string): PathStep[] | null {
  if (path[0] !== "$") return null;
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === ".") {
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!m) return null;
      steps.push(m[0] === "*" ? { wildcard: true } : { key: m[0] });
      i += 1 + m[0].length;
    } else if (path[i] === "[") {
      const rest = path.slice(i);
      let m: RegExpExecArray | null;
      if ((m = /^\[\*\]/.exec(rest))) steps.push({ wildcard: true });
      else if ((m = /^\[(\d+)\]/.exec(rest))) steps.push({ index: Number(m[1]) });
      else if ((m = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest))) steps.push({ key: JSON.parse(m[1]) as string });
      else return null;
      i += m[0].length;
    } else return null;
  }
  return steps.length > 0 ? steps : null;
}

/** Replaces every node the path reaches; returns how many were visited. */
export function updateAtPath(root: JsonNode, steps: PathStep[], fn: (node: JsonNode) => JsonNode): number {
  let count = 0;
  const walk = (node: JsonNode, depth: number, set: (n: JsonNode) => void) => {
    if (depth === steps.length) {
      set(fn(node));
      count++;
      return;
    }
    const step = steps[depth];
    if ("key" in step) {
      if (node.t !== "obj") return;
      for (const entry of node.entries) if (entry[0] === step.key) walk(entry[1], depth + 1, (n) => (entry[1] = n));
    } else if ("index" in step) {
      if (node.t === "arr" && step.index < node.items.length) walk(node.items[step.index], depth + 1, (n) => (node.items[step.index] = n));
    } else if (node.t === "arr") {
      node.items.forEach((item, k) => walk(item, depth + 1, (n) => (node.items[k] = n)));
    } else if (node.t === "obj") {
      for (const entry of node.entries) walk(entry[1], depth + 1, (n) => (entry[1] = n));
    }
  };
  walk(root, 0, () => {
    throw new Error("json_paths cannot replace the whole document; use a column rule.");
  });
  return count;
}
