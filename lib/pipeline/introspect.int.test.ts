import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { allowEgressTo } from "../../test/egress";
import { createDb, loadScenario, type Db } from "../../test/scenarios/harness";
import { startS3Proxy, startS3Server, type TestS3 } from "../../test/s3-server";
import { freePort } from "../../test/pg-server";
import { EngineError } from "./errors";
import { introspectSource } from "./introspect";
import { S3_PROBE_FOLDER, testPostgresConnection, testS3Connection } from "./test-connection";

describe("introspectSource and connection tests", () => {
  let db: Db;
  let s3: TestS3;
  beforeAll(async () => {
    db = await createDb(inject("adminUrl"), "introspect");
    await loadScenario("graph", db);
    s3 = await startS3Server("probe-bucket");
  });
  afterAll(async () => {
    await db?.drop();
    await s3?.stop();
  });

  it("lists tables with estimates, columns as the rules see them, keys and partitions", async () => {
    const r = await introspectSource(db.conn);
    expect(r.schemas).toEqual(["public"]);
    const byName = Object.fromEntries(r.tables.map((t) => [t.name, t]));
    expect(byName.employee.primaryKey).toEqual(["id"]);
    expect(byName.employee.rowsEstimate).toBe(200);
    expect(byName.employee.columns.find((c) => c.name === "email")).toMatchObject({ typeName: "text", baseType: "text", category: "S", notNull: true, unique: true });
    expect(byName.employee.foreignKeys).toContainEqual({ name: "employee_manager_id_fkey", columns: ["manager_id"], references: { schema: "public", table: "employee", columns: ["id"] } });
    expect(byName.event.kind).toBe("partitioned table");
    expect(byName.event.rowsEstimate).toBe(3000);
    expect(byName.event_2024.partitionOf).toBe("public.event");
    expect(byName.event.primaryKey).toEqual(["id", "happened_at"]);
    expect(byName.event.inheritance).toBe(false); // partitioning is told by kind
    expect(byName.employee.inheritance).toBe(false);
  });

  it("marks both sides of table inheritance (delta updates copy them in full; the editor says so)", async () => {
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query("CREATE TABLE note_base (id int PRIMARY KEY, body text); CREATE TABLE note_extra (extra text) INHERITS (note_base)");
      const byName = Object.fromEntries((await introspectSource(db.conn)).tables.map((t) => [t.name, t]));
      expect([byName.note_base.inheritance, byName.note_extra.inheritance]).toEqual([true, true]);
    } finally {
      await c.query("DROP TABLE IF EXISTS note_extra, note_base");
      await c.end();
    }
  });

  it("reports the server and classifies failures in plain words", async () => {
    const info = await testPostgresConnection(db.conn);
    expect(info.serverMajor).toBe(inject("adminVersion"));
    expect(info.serverVersion).toMatch(new RegExp(`^${inject("adminVersion")}\\.`));
    expect(info.tableCount).toBe(8);
    expect(info.databaseBytes).toBeGreaterThan(1_000_000);
    const missing = await testPostgresConnection({ ...db.conn, database: "no_such_db_xyz" }).catch((e) => e);
    expect(missing).toBeInstanceOf(EngineError);
    expect(missing.code).toBe("SOURCE_DATABASE_MISSING");
    const closed = await freePort();
    allowEgressTo(`127.0.0.1:${closed}`);
    const unreachable = await testPostgresConnection({ ...db.conn, host: "127.0.0.1", port: closed }, { side: "target" }).catch((e) => e);
    expect(unreachable.code).toBe("TARGET_UNREACHABLE");
    expect(unreachable.message).not.toContain(db.conn.password || "\u0000");
  });

  it.skipIf(!new URL(inject("adminUrl")).password)("classifies a wrong password (servers that check passwords)", async () => {
    const err = await testPostgresConnection({ ...db.conn, password: "wrong-password" }).catch((e) => e);
    expect(err.code).toBe("SOURCE_AUTH_FAILED");
    expect(err.message).not.toContain("wrong-password");
  });

  it("tests S3 connections by writing and deleting a probe object", async () => {
    const proxy = await startS3Proxy(s3.endpoint);
    try {
      expect(await testS3Connection({ ...s3.connection, endpoint: proxy.endpoint })).toEqual({ bucket: "probe-bucket", canWrite: true });
      const put = proxy.seen.find((r) => r.startsWith(`PUT /probe-bucket/${S3_PROBE_FOLDER}`));
      expect(put, proxy.seen.join("; ")).toBeDefined();
      expect(proxy.seen).toContain(put!.replace(/^PUT/, "DELETE"));
    } finally {
      await proxy.close();
    }
    const denied = await startS3Proxy(s3.endpoint, { deny: (method) => method === "PUT" });
    try {
      const err = await testS3Connection({ ...s3.connection, endpoint: denied.endpoint }).catch((e) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect(err.message).toBe("Access to the bucket probe-bucket was denied.");
    } finally {
      await denied.close();
    }
    const err = await testS3Connection({ ...s3.connection, bucket: "no-such-bucket" }).catch((e) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect(err.code).toBe("S3_FAILED");
    expect(err.message).toContain("no-such-bucket");
  });
});
