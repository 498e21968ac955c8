import { closeSession, openSession } from "../../pipeline/connect";
import { describePgError } from "../../pipeline/describe-pg-error";
import type { CloneReport, ProgressEvent } from "../../pipeline/types";
import type { TPgConnection } from "../../schemas/connection";
import { JobFailure } from "../errors";
import { diffSchemas, type SchemaDiff, snapshotSchema } from "../migration/schema-snapshot";
import { splitSql, wantsTransaction } from "../migration/split-sql";
import type { LogLine } from "../queue";

// Migration dry-run: after the clone swapped a fresh copy into the scratch target, apply the
// run's migration SQL there and report per statement its duration and the locks it took
// (pg_locks of our backend, sampled right after the statement inside the transaction), the
// failing statement with a description of the database's error, and the schema diff.
// Statements run in order in one transaction (COMMIT on success, so the scratch database shows
// the migrated schema; ROLLBACK on failure) unless the script says `-- doppel: no-transaction`.

export type LockTaken = { relation: string; mode: string };
export type StatementReport = { index: number; statement: string; durationMs: number; locks: LockTaken[] | null; ok: boolean };
export type MigrationReport = {
  ok: boolean;
  transactional: boolean;
  statements: StatementReport[];
  failed: { index: number; statement: string; sqlstate: string | null; message: string } | null;
  schemaDiff: SchemaDiff | null;
  durationMs: number;
};

const LOCKS_SQL = `
  SELECT DISTINCT format('%I.%I', n.nspname, c.relname) AS relation, l.mode
    FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted
     AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'`;

const short = (s: string) => (s.length > 500 ? s.slice(0, 500) + "…" : s);

const firstLine = (statement: string) => {
  const line = statement.split("\n").map((l) => l.trim()).find((l) => l && !l.startsWith("--")) ?? "";
  return line.length > 120 ? line.slice(0, 120) + "…" : line;
};

export async function runMigrationDryRun(opts: {
  target: TPgConnection; sql: string; clone: CloneReport; signal: AbortSignal;
  log(line: LogLine): void; onProgress(e: ProgressEvent): void;
  /** Throws when the job's claim is lost: checked before the migration's COMMIT. */
  beforeCommit?: () => Promise<void>;
}): Promise<CloneReport & { migration: MigrationReport }> {
  const statements = splitSql(opts.sql);
  if (!statements.length) throw new JobFailure("INVALID_INPUT", "The migration SQL has no statements.", "Send the migration script's contents.");
  const transactional = wantsTransaction(opts.sql);
  opts.log({ level: "info", message: `Applying the migration: ${statements.length} statement(s)${transactional ? " in one transaction" : ", each on its own"}.` });
  const started = Date.now();
  const client = await openSession(opts.target, "target");
  const report: MigrationReport = { ok: false, transactional, statements: [], failed: null, schemaDiff: null, durationMs: 0 };
  try {
    const before = await snapshotSchema(client);
    if (transactional) await client.query("BEGIN");
    const held = new Set<string>();
    for (const [i, statement] of statements.entries()) {
      if (opts.signal.aborted) throw opts.signal.reason;
      const t0 = performance.now();
      try {
        await client.query(statement);
      } catch (err) {
        // Never the database's message: describe-pg-error.ts says why.
        const { code, text } = describePgError(err);
        report.statements.push({ index: i + 1, statement: short(statement), durationMs: Math.round(performance.now() - t0), locks: null, ok: false });
        report.failed = { index: i + 1, statement: short(statement), sqlstate: code, message: text };
        break;
      }
      const durationMs = Math.round(performance.now() - t0);
      let locks: LockTaken[] | null = null;
      if (transactional) {
        const { rows } = await client.query<LockTaken>(LOCKS_SQL);
        locks = rows.filter((l) => !held.has(`${l.relation} ${l.mode}`));
        for (const l of rows) held.add(`${l.relation} ${l.mode}`);
      }
      report.statements.push({ index: i + 1, statement: short(statement), durationMs, locks, ok: true });
      opts.log({ level: "info", message: `Statement ${i + 1} took ${durationMs} ms.` });
    }
    if (report.failed) {
      if (transactional) await client.query("ROLLBACK");
    } else {
      report.schemaDiff = diffSchemas(before, await snapshotSchema(client));
      if (transactional) {
        await opts.beforeCommit?.();
        await client.query("COMMIT");
      }
      report.ok = true;
    }
  } finally {
    if (transactional) await client.query("ROLLBACK").catch(() => {}); // no-op after COMMIT/ROLLBACK
    await closeSession(client);
  }
  report.durationMs = Date.now() - started;
  const result = { ...opts.clone, migration: report };
  if (report.failed) {
    throw new JobFailure("MIGRATION_FAILED", `The migration failed at statement ${report.failed.index} (${firstLine(report.failed.statement)}): ${report.failed.message}${report.failed.sqlstate ? ` [SQLSTATE ${report.failed.sqlstate}]` : ""}.`,
      "The clone succeeded; fix the failing statement and run again. The scratch database was left as cloned.", false, result);
  }
  return result;
}
