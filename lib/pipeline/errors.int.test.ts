import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, withClient, type Db } from "../../test/scenarios/harness";
import { classifyPgError, EngineError, withStatement } from "./errors";

// Target errors name their cause: a real server's error for a missing type, schema or function
// carries names only, so its message is passed on, with the statement's head and a hint; errors
// whose messages can quote row values (unique violations, bad input) never are.

describe("classifyPgError on real PostgreSQL errors", () => {
  let db: Db;
  beforeAll(async () => {
    db = await createDb(inject("adminUrl"), "errors_cls");
  });
  afterAll(async () => {
    await db.drop();
  });

  const failure = (sql: string) => withClient(db.url, (c) => c.query(sql).then(() => null, (e) => e));

  it("passes on the server's message for a missing type, schema or function, with the statement and a hint", async () => {
    const cases: [string, string][] = [
      ["CREATE TABLE t (a public.no_such_type)", 'type "public.no_such_type" does not exist'],
      ["CREATE TABLE no_such_schema.t (a int)", 'schema "no_such_schema" does not exist'],
      ["CREATE TABLE t (a int CHECK (public.no_such_fn(a)))", "function public.no_such_fn(integer) does not exist"],
      ["CREATE TABLE t (a text COLLATE public.no_such_coll)", 'collation "public.no_such_coll" for encoding "UTF8" does not exist'],
    ];
    for (const [sql, message] of cases) {
      const err = classifyPgError(withStatement(await failure(sql), "CREATE TABLE public.t"), "target", "creating the staging tables");
      expect(err.code, sql).toBe("TARGET_DDL_FAILED");
      expect(err.message, sql).toBe(`The target database refused a statement (creating the staging tables) (CREATE TABLE public.t): ${message}.`);
      expect(err.hint, sql).toMatch(/lacks something this definition uses/);
    }
  });

  it("keeps row values out: unique violations and bad input are described by SQLSTATE only", async () => {
    const unique = await failure("CREATE TEMP TABLE u (email text UNIQUE); INSERT INTO u VALUES ('secret@x.test'), ('secret@x.test')");
    const badInput = await failure("SELECT 'secret-value'::int");
    for (const raw of [unique, badInput]) {
      expect(String((raw as Error).message) + String((raw as { detail?: string }).detail)).toContain("secret");
      const err = classifyPgError(raw, "target", "loading public.u");
      expect(err).toBeInstanceOf(EngineError);
      expect(err.code).toBe("TARGET_REJECTED_ROW");
      expect(`${err.message} ${err.hint}`).not.toContain("secret");
    }
  });
});
