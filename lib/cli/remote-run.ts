import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { ParsedArgs } from "./parse-args";

// `doppel run --workflow <id> [--wait] [--url http://localhost:3000] [--api-key $DOPPEL_API_KEY]
//   [--migration-file x.sql] [--param name=value ...] [--json]`
// Starts a run of a stored workflow through the run API (a CI step), optionally waits for it
// while printing progress, and exits 0 on success, 1 on a failed or cancelled run (or a failed
// migration dry-run), 2 on bad usage or a refused request. Ctrl-C while waiting cancels the run.

export type RemoteIo = {
  out(line: string): void;
  err(line: string): void;
  fetch: typeof fetch;
  pollMs: number;
};

const defaultIo = (): RemoteIo => ({ out: (l) => console.log(l), err: (l) => console.error(l), fetch: globalThis.fetch, pollMs: 2000 });

type RunView = {
  jobId: string;
  status: "queued" | "running" | "succeeded" | "failed" | "canceled";
  attempts: number;
  maxAttempts: number;
  progress: { phase: string | null; tables: { schema: string; table: string; phase: string; rowsDone: number; rowsEstimate: number | null }[] } | null;
  report: Record<string, unknown> | null;
  error: { code: string; message: string; hint?: string } | null;
};

type MigrationReport = {
  ok: boolean;
  transactional: boolean;
  statements: { index: number; statement: string; durationMs: number; locks: { relation: string; mode: string }[] | null; ok: boolean }[];
  failed: { index: number; statement: string; sqlstate: string | null; message: string } | null;
  schemaDiff: Record<string, { added: { name: string }[]; dropped: { name: string }[]; changed: { name: string }[] }> | null;
};

const SINGULAR: Record<string, string> = { tables: "table", columns: "column", indexes: "index", constraints: "constraint" };
const TERMINAL = new Set(["succeeded", "failed", "canceled"]);

export async function remoteRun(args: ParsedArgs, io: RemoteIo = defaultIo()): Promise<number> {
  const flag = (name: string) => args.flags.get(name)?.at(-1);
  const workflowId = flag("workflow");
  if (!workflowId || workflowId === "true") {
    io.err("run needs --config <workflow.json> (local run) or --workflow <id> (run a stored workflow through the API).");
    return 2;
  }
  const base = (flag("url") ?? process.env.DOPPEL_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  const apiKey = flag("api-key") ?? process.env.DOPPEL_API_KEY;
  if (!apiKey) {
    io.err("No API key: pass --api-key or set DOPPEL_API_KEY (create one under Settings → API keys).");
    return 2;
  }
  const body: { customizationValues?: Record<string, string>; migrationSql?: string } = {};
  for (const p of args.flags.get("param") ?? []) {
    const eq = p.indexOf("=");
    if (eq < 1) {
      io.err(`--param needs name=value, got "${p}".`);
      return 2;
    }
    (body.customizationValues ??= {})[p.slice(0, eq)] = p.slice(eq + 1);
  }
  const migrationFile = flag("migration-file");
  if (migrationFile) {
    try {
      body.migrationSql = await readFile(migrationFile, "utf8");
    } catch (err) {
      io.err(`Cannot read ${migrationFile}: ${(err as NodeJS.ErrnoException).code ?? "error"}.`);
      return 2;
    }
  }
  const headers = { authorization: `Bearer ${apiKey}`, "content-type": "application/json" };

  let started: Response;
  try {
    started = await io.fetch(`${base}/api/v1/workflows/${encodeURIComponent(workflowId)}/runs`, { method: "POST", headers, body: JSON.stringify(body) });
  } catch {
    io.err(`Cannot reach Doppel at ${base}. Check --url (or DOPPEL_URL) and that the app is running.`);
    return 2;
  }
  const startBody = (await started.json().catch(() => ({}))) as { jobId?: string; coalesced?: boolean; error?: { code: string; message: string } };
  if (!started.ok || !startBody.jobId) {
    io.err(`The run was not started (${started.status}${startBody.error ? ` ${startBody.error.code}` : ""}): ${startBody.error?.message ?? "unexpected answer"}`);
    return started.status >= 500 ? 1 : 2;
  }
  const jobId = startBody.jobId;
  io.err(startBody.coalesced ? `A run of this workflow was already queued; following it: ${jobId}` : `Run ${jobId} queued.`);
  if (!args.flags.has("wait")) {
    io.out(jobId);
    return 0;
  }

  let cancelSent = false;
  const onSignal = () => {
    if (cancelSent) process.exit(130);
    cancelSent = true;
    io.err("Cancelling the run (Ctrl-C again to stop waiting)...");
    void io.fetch(`${base}/api/v1/runs/${jobId}/cancel`, { method: "POST", headers }).catch(() => {});
  };
  process.on("SIGINT", onSignal);
  try {
    const view = await pollUntilDone(`${base}/api/v1/runs/${jobId}`, headers, io);
    if (!view) return 1;
    if (args.flags.has("json")) io.out(JSON.stringify(view, null, 2));
    else printOutcome(view, io);
    return view.status === "succeeded" ? 0 : 1;
  } finally {
    process.off("SIGINT", onSignal);
  }
}

async function pollUntilDone(url: string, headers: Record<string, string>, io: RemoteIo): Promise<RunView | null> {
  let failures = 0;
  let lastStatus = "";
  let lastAttempt = 0;
  let lastPhase: string | null = null;
  let lastTables = 0;
  for (;;) {
    let view: RunView;
    try {
      const res = await io.fetch(url, { headers });
      if (!res.ok) {
        const b = (await res.json().catch(() => ({}))) as { error?: { message: string } };
        io.err(`Cannot read the run (${res.status}): ${b.error?.message ?? "unexpected answer"}`);
        if (res.status < 500) return null;
        throw new Error("server error");
      }
      view = (await res.json()) as RunView;
      failures = 0;
    } catch {
      if (++failures >= 10) {
        io.err("Lost contact with Doppel while waiting; the run goes on. Check it in the web app.");
        return null;
      }
      await sleep(io.pollMs);
      continue;
    }
    if (view.status !== lastStatus || view.attempts !== lastAttempt) {
      io.err(`status: ${view.status}${view.attempts > 1 ? ` (attempt ${view.attempts} of ${view.maxAttempts})` : ""}`);
      lastStatus = view.status;
      lastAttempt = view.attempts;
    }
    const p = view.progress;
    if (p && p.phase !== lastPhase) {
      io.err(`== ${p.phase}`);
      lastPhase = p.phase;
    }
    if (p && Date.now() - lastTables > 5000 && view.status === "running") {
      lastTables = Date.now();
      for (const t of p.tables) {
        const pct = t.rowsEstimate ? ` ${Math.min(100, Math.round((100 * t.rowsDone) / t.rowsEstimate))}%` : "";
        io.err(`   ${t.schema}.${t.table}: ${t.phase} ${t.rowsDone.toLocaleString("en-US")} rows${pct}`);
      }
    }
    if (TERMINAL.has(view.status)) return view;
    await sleep(io.pollMs);
  }
}

function printOutcome(view: RunView, io: RemoteIo) {
  const report = view.report as { totals?: { rowsWritten: number; durationMs: number }; migration?: MigrationReport } | null;
  if (report?.totals) io.out(`Cloned ${report.totals.rowsWritten.toLocaleString("en-US")} rows in ${(report.totals.durationMs / 1000).toFixed(1)} s.`);
  if (report?.migration) printMigration(report.migration, io);
  if (view.status === "succeeded") io.out("Run succeeded.");
  else if (view.status === "canceled") io.out("Run cancelled.");
  else if (view.error) {
    io.out(`Run failed (${view.error.code}): ${view.error.message}`);
    if (view.error.hint) io.out(`What to do: ${view.error.hint}`);
  }
}

function printMigration(m: MigrationReport, io: RemoteIo) {
  io.out(`\nMigration dry-run (${m.transactional ? "one transaction" : "statement by statement"}): ${m.ok ? "OK" : "FAILED"}`);
  for (const s of m.statements) {
    const locks = s.locks === null ? "" : s.locks.length ? ` locks: ${s.locks.map((l) => `${l.mode} on ${l.relation}`).join(", ")}` : " locks: none new";
    io.out(`  #${s.index} ${s.ok ? "ok" : "FAILED"} ${s.durationMs} ms${locks}\n     ${s.statement.split("\n")[0].slice(0, 120)}`);
  }
  if (m.failed) io.out(`  Statement #${m.failed.index} failed${m.failed.sqlstate ? ` (SQLSTATE ${m.failed.sqlstate})` : ""}: ${m.failed.message}`);
  if (m.schemaDiff) {
    io.out("  Schema changes:");
    let any = false;
    for (const [kind, d] of Object.entries(m.schemaDiff)) {
      for (const [verb, list] of [["added", d.added], ["changed", d.changed], ["dropped", d.dropped]] as const) {
        for (const e of list) {
          any = true;
          io.out(`    ${verb} ${SINGULAR[kind] ?? kind} ${e.name}`);
        }
      }
    }
    if (!any) io.out("    none");
  }
}
