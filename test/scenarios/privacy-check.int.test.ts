import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runClone } from "../../lib/pipeline/run-clone";
import type { CloneReport } from "../../lib/pipeline/types";
import { createDb, definition, withClient, type Db } from "./harness";

// The privacy check on a table without an unredacted unique key: rules whose outputs cannot look
// like real values fall back to the value check; the others are reported as not checked (with the
// reason and in `unchecked`), never silently counted as checked.

describe("privacy check without a key to find rows again", () => {
  let source: Db;
  let target: Db;
  let report: CloneReport;

  beforeAll(async () => {
    source = await createDb(inject("adminUrl"), "scn_pc_src");
    target = await createDb(inject("adminUrl"), "scn_pc_dst");
    await withClient(source.url, (c) => c.query(`
      CREATE TABLE events (email text, first_name text, account bigint, phone text);
      INSERT INTO events SELECT 'user' || i || '@source.test', 'Name' || i, i, '555-01' || lpad(i::text, 2, '0') FROM generate_series(1, 50) i;
      ANALYZE events;`));
    const def = definition({ tables: [{ schema: "public", table: "events", rules: {
      email: { rule: "fake", kind: "email" },
      first_name: { rule: "fake", kind: "first_name" },
      account: { rule: "hash" },
      phone: { rule: "mask", format: "phone", keepLast: 2 },
    } }] }, source, { target: { connection: target.conn } });
    report = await runClone(def);
  });
  afterAll(async () => {
    await source?.drop();
    await target?.drop();
  });

  it("checks fake emails and bigint hashes by value, and reports the rest as not checked", () => {
    const pc = report.privacyCheck;
    const method = (col: string) => pc.columns?.find((c) => c.column === col);
    expect(method("email")).toMatchObject({ method: "values", values: 50 });
    expect(method("account")).toMatchObject({ method: "values", values: 50 });
    expect(method("first_name")).toMatchObject({ method: "skipped", values: 0, reason: expect.stringMatching(/not checked.*no unredacted primary key/) });
    expect(method("phone")).toMatchObject({ method: "skipped", reason: expect.stringMatching(/not checked/) });
    expect(pc.columnsChecked).toBe(2);
    expect(pc.unchecked).toBe(2);
    expect(pc.valuesChecked).toBe(100);
    expect(pc.leaks).toEqual([]);
    expect(pc.passed).toBe(true);
  });
});
