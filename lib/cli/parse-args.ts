// The command line of bin/doppel.ts, parsed: shared by the CLI, its commands in lib/cli and the bench.

export type ParsedArgs = { command: string | null; flags: Map<string, string[]>; positional: string[] };

/** `--name value`, `--name=value` and bare `--flag` (value "true"); repeated flags accumulate. */
export function parseArgs(argv: string[]): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      let value = eq === -1 ? undefined : a.slice(eq + 1);
      if (value === undefined) value = argv[i + 1] !== undefined && !argv[i + 1].startsWith("--") ? argv[++i] : "true";
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else positional.push(a);
  }
  return { command: positional.shift() ?? null, flags, positional };
}
