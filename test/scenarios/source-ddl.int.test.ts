import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EngineError } from "../../lib/pipeline/errors";
import { runClone } from "../../lib/pipeline/run-clone";
import type { TWorkflowDefinitionInput } from "../../lib/schemas/workflow";
import { createDb, definition, stagingSchemas, withClient, type Db } from "./harness";

// Issue 12, defect 7: DDL on the source never deadlocks a run. A table already locked by a schema
// change fails the run at once, by name; DDL issued during the run (which queues behind the run's
// locks, and then the run's next read queues behind it) makes the run fail after the lock timeout
// instead of everyone waiting forever.

describe("scenario: schema changes on the source during a run", () => {
  const dbs: Db[] = [];
  let source: Db;
  let target: Db;
  let def: TWorkflowDefinitionInput;

  beforeAll(async () => {
    source = await createDb(inject("adminUrl"), "scn_ddl_src");
    target = await createDb(inject("adminUrl"), "scn_ddl_dst");
    dbs.push(source, target);
    await withClient(source.url, (c) => c.query(`
      CREATE TABLE public.big (id int PRIMARY KEY, payload text);
      INSERT INTO public.big SELECT g, repeat('x', 200) FROM generate_series(1, 200000) g;
      CREATE TABLE public.small (id int PRIMARY KEY, email text);
      INSERT INTO public.small SELECT g, 'u' || g || '@x.test' FROM generate_series(1, 100) g;
      ANALYZE`));
    def = definition({
      tables: [{ schema: "public", table: "big", rules: {} }, { schema: "public", table: "small", rules: { email: { rule: "fake", kind: "email" } } }],
      options: { parallelism: 1 },
    }, source, { target: { connection: target.conn } });
  });
  afterAll(async () => {
    for (const d of dbs) await d.drop();
  });

  it("a table locked by a schema change fails the run up front, naming the table", async () => {
    const locker = new pg.Client({ connectionString: source.url });
    await locker.connect();
    try {
      await locker.query("BEGIN; LOCK TABLE public.small IN ACCESS EXCLUSIVE MODE");
      const err = await runClone(def, { sourceLockTimeoutMs: 300 }).then(() => null, (e) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).code).toBe("SOURCE_BUSY");
      expect((err as EngineError).message).toContain("public.small");
    } finally {
      await locker.end();
    }
    expect(await stagingSchemas(target.url)).toEqual([]);
  });

  it("a DROP TABLE issued while the run copies another table does not hang: the run fails and the DROP goes through", async () => {
    const ddl = new pg.Client({ connectionString: source.url });
    await ddl.connect();
    let drop: Promise<unknown> | null = null;
    try {
      const err = await runClone(def, {
        sourceLockTimeoutMs: 300,
        onProgress: (e) => {
          if (e.type === "table" && e.table.table === "big" && e.table.phase === "copying" && !drop) drop = ddl.query("DROP TABLE public.small");
        },
      }).then(() => null, (e) => e);
      expect(drop, "the DROP was issued during the copy").not.toBeNull();
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).code).toBe("SOURCE_BUSY");
      expect((err as EngineError).message).toContain("public.small");
      await drop;
      expect((await ddl.query("SELECT to_regclass('public.small') AS t")).rows[0].t).toBeNull();
    } finally {
      await ddl.end();
    }
    expect(await stagingSchemas(target.url)).toEqual([]);
  });
});
