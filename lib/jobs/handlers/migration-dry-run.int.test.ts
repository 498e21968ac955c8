import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import type { CloneReport } from "../../pipeline/types";
import type { TPgConnection } from "../../schemas/connection";
import { createSourceAndTarget, type Databases } from "../../../test/worker/clone-fixture";
import { JobFailure } from "../errors";
import type { LogLine } from "../queue";
import { runMigrationDryRun } from "./migration-dry-run";

// A failing migration is described by SQLSTATE, table/column/constraint and statement, never by
// the database's text when that text can quote row values (the values must not reach the job's
// error, report or log). The scratch database is a fresh copy of the fixture's customers table.

let dbs: Databases;
let target: TPgConnection;

beforeAll(async () => {
  dbs = await createSourceAndTarget(inject("adminUrl"), 20);
  const u = new URL(dbs.sourceUrl);
  target = { host: u.hostname, port: Number(u.port || 5432), database: dbs.source, user: decodeURIComponent(u.username || "postgres"), password: decodeURIComponent(u.password), tlsMode: "disable" };
});

afterAll(async () => {
  await dbs?.drop();
});

const clone = { tables: [], customizations: [], skipped: [], outputs: {}, totals: { rowsRead: 0, rowsWritten: 0, bytes: 0, durationMs: 0 } } as unknown as CloneReport;

/** Runs the migration; returns everything a user or operator could see of its failure. */
async function failWith(sql: string) {
  const logs: LogLine[] = [];
  const err = await runMigrationDryRun({ target, sql, clone, signal: new AbortController().signal, log: (l) => logs.push(l), onProgress: () => {} })
    .then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(JobFailure);
  const failure = err as JobFailure;
  const report = failure.report as { migration: { failed: { index: number; sqlstate: string; message: string } } };
  return { failure, failed: report.migration.failed, visible: JSON.stringify({ message: failure.message, hint: failure.hint, report: failure.report, logs }) };
}

describe("migration dry-run failures", () => {
  it("a unique violation names the statement, SQLSTATE, table and constraint, and no value", async () => {
    const { failure, failed, visible } = await failWith("ALTER TABLE customers ADD COLUMN tier text;\nUPDATE customers SET email = 'dup-secret@example.test' WHERE id IN (1, 2);\n");
    expect(failed).toMatchObject({ index: 2, sqlstate: "23505", message: "a unique constraint is violated (table public.customers, constraint customers_email_key)" });
    expect(failure.code).toBe("MIGRATION_FAILED");
    expect(failure.message).toBe(
      "The migration failed at statement 2 (UPDATE customers SET email = 'dup-secret@example.test' WHERE id IN (1, 2)): a unique constraint is violated (table public.customers, constraint customers_email_key) [SQLSTATE 23505].");
    // The statement is the user's own SQL; the rows' values are not.
    expect(visible).not.toMatch(/user\d+@example\.test|Person \d+|Key \(/);
  });

  it("a failed conversion does not quote the row's value (the database's text would)", async () => {
    const { failed, visible } = await failWith("ALTER TABLE customers ALTER COLUMN full_name TYPE int USING full_name::int;");
    expect(failed).toMatchObject({ index: 1, sqlstate: "22P02", message: "a value does not convert to the type" });
    expect(visible).not.toMatch(/Person \d+|user\d+@example\.test/);
  });

  it("class 42 errors are described by SQLSTATE and position too: a regclass cast does not print the server's database list", async () => {
    const { failed, visible } = await failWith("SELECT string_agg(datname, ',')::regclass FROM pg_database;");
    expect(failed).toMatchObject({ index: 1, sqlstate: "42P01", message: "a table or view does not exist" });
    // The database's own message would be: relation "postgres,template1,template0,…" does not exist.
    for (const name of ["template1", "template0", dbs.source, dbs.target]) expect(visible).not.toContain(name);

    const unknown = await failWith("ALTER TABLE no_such_table ADD COLUMN x int;");
    expect(unknown.failed).toMatchObject({ index: 1, sqlstate: "42P01", message: "a table or view does not exist" });
  });

  it("a syntax error points at the character of the statement instead of quoting it", async () => {
    const { failed } = await failWith("ALTER TABLE customers ADD COLUMN x nosuchtype;\nSELEC 1;");
    expect(failed).toMatchObject({ index: 1, sqlstate: "42704", message: "an object does not exist (at character 36 of the statement)" });
  });
});
