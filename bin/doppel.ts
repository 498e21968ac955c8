// doppel CLI: `npm run doppel -- run --config workflow.json [--param name=value ...] [--json]`
// Runs a workflow definition without the web app: progress lines on stderr, a summary on stdout,
// exit code 0 on success, 1 on a failed run, 2 on bad usage. `run --workflow <id>` starts a stored
// workflow through the API instead (lib/cli/remote-run.ts). Other commands go in COMMANDS.

import { readFile, rename, writeFile } from "node:fs/promises";
import { parseArgs, type ParsedArgs } from "../lib/cli/parse-args";
import { remoteRun } from "../lib/cli/remote-run";
import { EngineError } from "../lib/pipeline/errors";
import { runClone } from "../lib/pipeline/run-clone";
import type { CloneReport, DeltaTableState, ProgressEvent } from "../lib/pipeline/types";
import { ZWorkflowDefinition, formatIssues } from "../lib/schemas/workflow";

export type Command = (args: ParsedArgs) => Promise<number>;

const USAGE = `Usage:
  doppel run --config workflow.json [--param name=value ...] [--delta-state state.json] [--json]
      Clone, redact and load the workflow's tables (target database and/or S3). With delta
      updates on the target, --delta-state keeps the watermark between runs (written after a
      successful run; without it every run copies in full).
  doppel run --workflow <id> [--wait] [--url http://localhost:3000] [--api-key $DOPPEL_API_KEY]
             [--migration-file x.sql] [--param name=value ...] [--json]
      Start a run of a stored workflow through the API (CI); --wait prints progress and exits
      non-zero when the run (or the migration dry-run) fails.`;

const COMMANDS: Record<string, Command> = {
  run: async (args) => {
    const config = args.flags.get("config")?.[0];
    // Without --config: a stored workflow run through the API (lib/cli/remote-run.ts).
    return config ? runLocal(config, args) : remoteRun(args);
  },
};

function usage(message?: string): number {
  if (message) console.error(message);
  console.error(USAGE);
  return 2;
}

async function runLocal(configPath: string, args: ParsedArgs): Promise<number> {
  let text: string;
  try {
    text = await readFile(configPath, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    console.error(`Cannot read ${configPath}${code ? ` (${code})` : ""}.`);
    return 2;
  }
  const raw = parseJsonQuietly(text);
  if (!raw.ok) {
    // JSON.parse's message quotes the text around the error, which may be a password.
    console.error(`${configPath} is not valid JSON${raw.position === null ? "" : ` (at position ${raw.position})`}.`);
    return 2;
  }
  const parsed = ZWorkflowDefinition.safeParse(raw.value);
  if (!parsed.success) {
    console.error(`${configPath} is not a valid workflow:`);
    for (const line of formatIssues(parsed.error)) console.error(`  ${line}`);
    return 2;
  }
  const values: Record<string, string> = {};
  for (const p of args.flags.get("param") ?? []) {
    const eq = p.indexOf("=");
    if (eq < 1) return usage(`--param needs name=value, got "${p}".`);
    values[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const statePath = args.flags.get("delta-state")?.[0];
  let deltaState: DeltaTableState[] | undefined;
  if (statePath) {
    const prev = await readFile(statePath, "utf8").catch((err: NodeJS.ErrnoException) => { if (err.code === "ENOENT") return null; throw err; });
    const json = prev === null ? null : parseJsonQuietly(prev);
    if (json && !json.ok) return usage(`${statePath} is not valid JSON.`);
    deltaState = json?.ok ? json.value as DeltaTableState[] : undefined;
  }
  const controller = new AbortController();
  const onSignal = () => {
    console.error("\nCancelling: dropping the staging schemas, the target stays as it was...");
    controller.abort();
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    const report = await runClone(parsed.data, { signal: controller.signal, onProgress: printProgress(), customizationValues: values, deltaState });
    if (statePath && report.delta) {
      // Replaced whole (rename), so a crash never leaves half a state file.
      await writeFile(`${statePath}.tmp`, JSON.stringify(report.delta.tables, null, 2));
      await rename(`${statePath}.tmp`, statePath);
    }
    if (args.flags.has("json")) console.log(JSON.stringify(report, null, 2));
    else printReport(report);
    return 0;
  } catch (err) {
    if (err instanceof EngineError) {
      console.error(`\nFailed (${err.code}): ${err.message}`);
      if (err.hint) console.error(`What to do: ${err.hint}`);
      // Driver messages can quote row values: shown only when asked for, on the user's own terminal.
      if (process.env.DOPPEL_DEBUG) console.error("Cause:", err.cause);
    } else {
      console.error(`\nFailed: unexpected error (${(err as Error)?.name ?? "unknown"}).`);
    }
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

function printProgress() {
  const last = new Map<string, number>();
  return (e: ProgressEvent) => {
    if (e.type === "phase") console.error(`== ${e.phase}`);
    else if (e.type === "log") console.error(`${e.level}: ${e.message}`);
    else if (e.type === "table") {
      const key = `${e.table.schema}.${e.table.table}`;
      const now = Date.now();
      if (e.table.phase === "copying" && now - (last.get(key) ?? 0) < 1000) return;
      last.set(key, now);
      const pct = e.table.rowsEstimate ? ` ${Math.min(100, Math.round((100 * e.table.rowsDone) / e.table.rowsEstimate))}%` : "";
      console.error(`   ${key}: ${e.table.phase} ${e.table.rowsDone.toLocaleString("en-US")} rows${pct}`);
    }
  };
}

/** JSON.parse without its message: only the position of the error, never the text around it. */
export function parseJsonQuietly(text: string): { ok: true; value: unknown } | { ok: false; position: number | null } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    return { ok: false, position: m ? Number(m[1]) : null };
  }
}

export function printReport(r: CloneReport) {
  console.log("\nTable                                   rows read   written  filtered  kept-for-refs   seconds  rules");
  for (const t of r.tables) {
    const rules = t.rules.map((x) => `${x.column}:${x.rule}${x.detail ? ` (${x.detail})` : ""}`).join(", ");
    console.log(`${`${t.schema}.${t.table}`.padEnd(38)} ${String(t.rowsRead).padStart(10)} ${String(t.rowsWritten).padStart(9)} ${String(t.rowsFiltered).padStart(9)} ${String(t.rowsKeptForReferences).padStart(14)} ${(t.durationMs / 1000).toFixed(1).padStart(9)}  ${rules}`);
  }
  for (const t of r.tables) {
    if (t.rowsInserted === undefined) continue;
    console.log(`  ${t.schema}.${t.table}: ${t.mode}${t.fullReason ? ` (${t.fullReason})` : ""}, ${t.rowsInserted} inserted, ${t.rowsUpdated} updated, ${t.rowsDeleted} deleted${t.watermark?.from ? `, changes since ${t.watermark.from}` : ""}`);
  }
  const pc = r.privacyCheck;
  const unchecked = pc.unchecked ?? (pc.columns ?? []).filter((c) => c.method === "skipped").length;
  console.log(`\nPrivacy check: ${pc.passed ? "passed" : "FAILED"} (${pc.columnsChecked} columns, ${pc.valuesChecked} sampled values)${unchecked ? `; ${unchecked} redacted column${unchecked === 1 ? "" : "s"} NOT checked:` : ""}`);
  for (const c of pc.columns ?? []) if (c.method === "skipped") console.log(`  not checked: ${c.schema}.${c.table}.${c.column}: ${c.reason}`);
  if (r.outputs.target) console.log(`Target: database ${r.outputs.target.database}, schemas ${r.outputs.target.schemas.join(", ")}`);
  if (r.outputs.s3) console.log(`S3: s3://${r.outputs.s3.bucket}/${r.outputs.s3.manifestKey} (${r.outputs.s3.objects.length} files)`);
  for (const c of r.customizations) console.log(`Customization "${c.name}": ${c.rowsAffected} rows`);
  for (const s of r.skipped) console.log(`Skipped ${s.kind} ${s.name}: ${s.reason}`);
  console.log(`Total: ${r.totals.rowsWritten.toLocaleString("en-US")} rows, ${(r.totals.bytes / 1e6).toFixed(1)} MB in ${(r.totals.durationMs / 1000).toFixed(1)} s`);
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (!args.command || args.flags.has("help")) return usage();
  const cmd = COMMANDS[args.command];
  if (!cmd) return usage(`Unknown command "${args.command}".`);
  return cmd(args);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("doppel.ts")) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
