import type pg from "pg";
import { qname } from "./connect";
import { EngineError } from "./errors";

// DDL on the source must never deadlock a run. Once a run holds a lock on a table (its privacy
// sample, say), a DROP TABLE or LOCK on that table queues behind it, and a later read of the same
// table by another session of the run queues behind the DDL: a cycle through the client that
// PostgreSQL cannot see, so the run, the DDL and every later query on the table wait forever.
// As pg_dump does, the snapshot transaction takes ACCESS SHARE on every table of the clone right
// at the start (a table whose DDL is already waiting fails the run at once, by name), and every
// session of the run waits for a lock at most `timeoutMs` (SOURCE_BUSY, transient), so queued DDL
// makes the run fail and go away instead of hanging.

export const DEFAULT_SOURCE_LOCK_TIMEOUT_MS = 30_000;

/** `SET LOCAL lock_timeout` for a source transaction of the run. */
export function lockTimeoutStatement(timeoutMs: number): string {
  return `SET LOCAL lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`;
}

/**
 * Call first in the snapshot transaction, before the catalog is read (pg_total_relation_size and
 * the like open the tables). Locks each selected table with its partitions and children (LOCK
 * without ONLY); tables that do not exist are left to the definition check, which names them.
 */
export async function lockSourceTables(c: pg.ClientBase, tables: { schema: string; table: string }[], timeoutMs: number): Promise<void> {
  await c.query(lockTimeoutStatement(timeoutMs));
  const { rows } = await c.query<{ schema: string; table: string }>(`
    SELECT t.s AS schema, t.r AS table FROM unnest($1::text[], $2::text[]) AS t(s, r)
    WHERE EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = t.s AND c.relname = t.r AND c.relkind IN ('r', 'p'))`,
  [tables.map((t) => t.schema), tables.map((t) => t.table)]);
  for (const t of rows) {
    try {
      await c.query(`LOCK TABLE ${qname(t.schema, t.table)} IN ACCESS SHARE MODE`);
    } catch (err) {
      if ((err as { code?: string }).code !== "55P03") throw err;
      throw sourceBusy(`${t.schema}.${t.table}`, timeoutMs, err);
    }
  }
}

export function sourceBusy(table: string, timeoutMs: number, cause: unknown): EngineError {
  return new EngineError("SOURCE_BUSY",
    `Source table ${table} is locked by another session (a schema change such as ALTER TABLE or DROP TABLE, or an explicit LOCK) and was not released within ${Math.round(timeoutMs / 1000)} s.`,
    "Nothing was written to the target. Run the workflow again once the schema change on the source has finished; see pg_locks on the source for the session holding the lock.",
    { cause });
}
