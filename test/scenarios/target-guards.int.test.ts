import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { EngineError } from "../../lib/pipeline/errors";
import { runClone } from "../../lib/pipeline/run-clone";
import type { TWorkflowDefinitionInput } from "../../lib/schemas/workflow";
import { allowEgressTo } from "../egress";
import { createDb, definition, stagingSchemas, withClient, type Db } from "./harness";

// Guards before anything is written to the target: the target must not be the source database
// itself (however it is addressed), and waiting for another run into the same target has a
// deadline whose error names the session holding the lock (application_name carries the job).

const TARGET_LOCK = [7270737, 1];

async function errorOf(p: Promise<unknown>): Promise<EngineError> {
  const err = await p.then(() => null, (e) => e);
  expect(err).toBeInstanceOf(EngineError);
  return err as EngineError;
}

describe("target guards", () => {
  let source: Db;
  let target: Db;
  let def: TWorkflowDefinitionInput;
  const count = (url: string) => withClient(url, async (c) => (await c.query("SELECT count(*)::int AS n FROM public.people")).rows[0].n as number);

  beforeAll(async () => {
    source = await createDb(inject("adminUrl"), "scn_guard_src");
    target = await createDb(inject("adminUrl"), "scn_guard_dst");
    await withClient(source.url, (c) => c.query(`CREATE TABLE people (id int PRIMARY KEY, email text NOT NULL);
      INSERT INTO people SELECT i, 'p' || i || '@source.test' FROM generate_series(1, 100) i;`));
    def = definition({ tables: [{ schema: "public", table: "people", rules: { email: { rule: "fake", kind: "email" } } }] }, source, { target: { connection: target.conn } });
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it("refuses a target that is the source database, also under another host name, before writing", async () => {
    const aliases = [source.conn];
    if (source.conn.host === "127.0.0.1") {
      allowEgressTo(`localhost:${source.conn.port}`); // the same server under a name the egress policy refuses by default
      aliases.push({ ...source.conn, host: "localhost" });
    }
    for (const conn of aliases) {
      const err = await errorOf(runClone({ ...def, outputs: { target: { connection: conn } } }));
      expect(err.code).toBe("INVALID_DEFINITION");
      expect(err.message).toContain(`The target is the source database itself (${source.name})`);
    }
    expect(await count(source.url)).toBe(100);
    expect(await stagingSchemas(source.url)).toEqual([]);
    // Another database on the same server is a fine target.
    await runClone(def);
    expect(await count(target.url)).toBe(100);
  });

  it("waits for another run's lock only until the deadline, naming the session that holds it", async () => {
    const holder = new pg.Client({ connectionString: target.url, application_name: "doppel-target job frozen-1" });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1, $2)", TARGET_LOCK);
      const err = await errorOf(runClone(def, { targetLockTimeoutMs: 1000 }));
      expect(err.code).toBe("TARGET_BUSY");
      expect(err.message).toContain('"doppel-target job frozen-1"');
      expect(await stagingSchemas(target.url)).toEqual([]);

      // A run with a label shows it in pg_stat_activity while it waits; it goes on once the lock is free.
      const run = runClone(def, { applicationName: "job test-42 c0ffee", targetLockTimeoutMs: 60_000 });
      const deadline = Date.now() + 20_000;
      let waiting = 0;
      while (!waiting && Date.now() < deadline) {
        const { rows } = await holder.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'doppel-target job test-42 c0ffee'");
        waiting = rows[0].n;
        if (!waiting) await new Promise((r) => setTimeout(r, 50));
      }
      expect(waiting).toBe(1);
      await holder.query("SELECT pg_advisory_unlock($1, $2)", TARGET_LOCK);
      const report = await run;
      expect(report.totals.rowsWritten).toBe(100);
    } finally {
      await holder.end();
    }
  });
});
