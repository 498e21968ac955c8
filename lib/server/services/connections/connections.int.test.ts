import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestDatabase } from "../../../../test/db";
import { decryptSecret } from "../../crypto";
import type { Db } from "../../db";
import { type AppTestDatabase, makeOrg, makeUser , openAppTestDatabase } from "../../testing/fixtures";
import { runIntrospectJob } from "../../../jobs/handlers/introspect";
import { runTestConnectionJob } from "../../../jobs/handlers/test-connection";
import type { JobContext } from "../../../jobs/handlers/types";
import type { ClaimedJob } from "../../../jobs/queue";
import { getConnectionStatus, testFacts } from "./connection-status";
import { deleteConnection } from "./delete-connection";
import { getConnection } from "./get-connection";
import { listConnections } from "./list-connections";
import { saveConnection } from "./save-connection";
import { startConnectionJob } from "./start-connection-job";

let tdb: TestDatabase;
let db: Db;
let pool: pg.Pool;
let app: AppTestDatabase;
beforeAll(async () => {
  app = await openAppTestDatabase({ poolMax: 2 });
  ({ tdb, db, pool } = app);
});
afterAll(() => app.close());

async function setup() {
  const owner = await makeUser(db);
  const org = await makeOrg(db, owner);
  return { org, actor: { userId: owner.id, label: owner.email, role: "OWNER" as const } };
}

const PG = { host: "db.example.test", port: "6543", database: "shop", user: "reader", tlsMode: "require" };

describe("connections", () => {
  it("stores the password encrypted and never returns it", async () => {
    const { org, actor } = await setup();
    const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
    const { id } = await saveConnection({ db, orgId: org.id, actor, name: "Prod", kind: "POSTGRES", settings: PG, secret: password });
    const row = await db.connection.findUniqueOrThrow({ where: { id } });
    expect(row.secretEnc).toMatch(/^v\d+:/);
    expect(row.secretEnc).not.toContain(password);
    expect(decryptSecret(row.secretEnc!)).toBe(password);
    expect(row.config).toEqual({ host: "db.example.test", port: 6543, database: "shop", user: "reader", tlsMode: "require" });
    const view = await getConnection({ db, orgId: org.id, connectionId: id });
    expect(view).toMatchObject({ hasSecret: true, settings: { host: "db.example.test", port: "6543" } });
    const list = await listConnections({ db, orgId: org.id });
    for (const shown of [view, list]) {
      expect(JSON.stringify(shown)).not.toContain(password);
      expect(JSON.stringify(shown)).not.toContain(row.secretEnc!);
    }
    const audit = await db.auditLog.findMany({ where: { orgId: org.id, action: { startsWith: "connection." } } });
    expect(JSON.stringify(audit)).not.toContain(password);
  });

  it("an edit without a secret keeps the stored one; a new secret replaces it", async () => {
    const { org, actor } = await setup();
    const { id } = await saveConnection({ db, orgId: org.id, actor, name: "S3", kind: "S3", settings: { endpoint: "https://s3.example.test:9000", bucket: "exports", accessKeyId: "AK", forcePathStyle: "on" }, secret: "first-secret" });
    await saveConnection({ db, orgId: org.id, actor, connectionId: id, name: "S3 renamed", kind: "S3", settings: { endpoint: "https://s3.example.test:9000", bucket: "exports", accessKeyId: "AK", region: "eu-west-1" } });
    let row = await db.connection.findUniqueOrThrow({ where: { id } });
    expect(decryptSecret(row.secretEnc!)).toBe("first-secret");
    expect(row).toMatchObject({ name: "S3 renamed", config: { bucket: "exports", forcePathStyle: false, region: "eu-west-1" } });
    await saveConnection({ db, orgId: org.id, actor, connectionId: id, name: "S3 renamed", kind: "S3", settings: { bucket: "exports2", accessKeyId: "AK" }, secret: "second-secret" });
    row = await db.connection.findUniqueOrThrow({ where: { id } });
    expect(decryptSecret(row.secretEnc!)).toBe("second-secret");
  });

  it("changing where a connection points needs the secret again (the stored one never goes to a new place)", async () => {
    const { org, actor } = await setup();
    const pg = await saveConnection({ db, orgId: org.id, actor, name: "Prod", kind: "POSTGRES", settings: PG, secret: "prod-password" });
    for (const [change, label] of [[{ host: "evil.example.test" }, "host"], [{ port: "5432" }, "port"], [{ user: "postgres" }, "user"], [{ database: "other" }, "database"], [{ tlsMode: "disable" }, "TLS mode"]] as const) {
      await expect(saveConnection({ db, orgId: org.id, actor, connectionId: pg.id, name: "Prod", kind: "POSTGRES", settings: { ...PG, ...change } })).rejects.toMatchObject({
        code: "VALIDATION",
        fieldErrors: { password: [expect.stringMatching(new RegExp(`changed the ${label}: enter the password again`))] },
      });
    }
    let row = await db.connection.findUniqueOrThrow({ where: { id: pg.id } });
    expect(row.config).toMatchObject({ host: PG.host, database: PG.database, user: PG.user });
    // Same place and TLS settings (only the name changes): the stored password stays; a new one with a move is fine.
    await saveConnection({ db, orgId: org.id, actor, connectionId: pg.id, name: "Prod 2", kind: "POSTGRES", settings: { ...PG } });
    await saveConnection({ db, orgId: org.id, actor, connectionId: pg.id, name: "Prod 2", kind: "POSTGRES", settings: { ...PG, host: "db2.example.test" }, secret: "new-password" });
    row = await db.connection.findUniqueOrThrow({ where: { id: pg.id } });
    expect([row.name, (row.config as { host: string }).host, decryptSecret(row.secretEnc!)]).toEqual(["Prod 2", "db2.example.test", "new-password"]);

    const s3Settings = { endpoint: "https://s3.example.test:9000", bucket: "exports", accessKeyId: "AK" };
    const s3 = await saveConnection({ db, orgId: org.id, actor, name: "S3", kind: "S3", settings: s3Settings, secret: "s3-secret" });
    for (const change of [{ endpoint: "http://attacker.example.test" }, { endpoint: "" }, { bucket: "other" }, { accessKeyId: "AK2" }]) {
      await expect(saveConnection({ db, orgId: org.id, actor, connectionId: s3.id, name: "S3", kind: "S3", settings: { ...s3Settings, ...change } })).rejects.toMatchObject({
        fieldErrors: { secretAccessKey: [expect.stringMatching(/enter the secret access key again/)] },
      });
    }
    expect((await db.connection.findUniqueOrThrow({ where: { id: s3.id } })).config).toMatchObject(s3Settings);
    // A PostgreSQL connection without a stored password has nothing to send elsewhere.
    const open = await saveConnection({ db, orgId: org.id, actor, name: "Trust", kind: "POSTGRES", settings: PG });
    await saveConnection({ db, orgId: org.id, actor, connectionId: open.id, name: "Trust", kind: "POSTGRES", settings: { ...PG, host: "elsewhere.test" } });
  });

  it("moving a PostgreSQL connection to another database drops its cached table list", async () => {
    const { org, actor } = await setup();
    const { id } = await saveConnection({ db, orgId: org.id, actor, name: "Src", kind: "POSTGRES", settings: PG });
    await db.connection.update({ where: { id }, data: { introspection: { tables: [] }, introspectedAt: new Date() } });
    await saveConnection({ db, orgId: org.id, actor, connectionId: id, name: "Src", kind: "POSTGRES", settings: { ...PG, user: "other" } });
    expect((await db.connection.findUniqueOrThrow({ where: { id } })).introspection).toEqual({ tables: [] });
    await saveConnection({ db, orgId: org.id, actor, connectionId: id, name: "Src", kind: "POSTGRES", settings: { ...PG, database: "elsewhere" } });
    expect(await db.connection.findUniqueOrThrow({ where: { id } })).toMatchObject({ introspection: null, introspectedAt: null });
  });

  it("validation errors name the fields at fault", async () => {
    const { org, actor } = await setup();
    await expect(saveConnection({ db, orgId: org.id, actor, name: " ", kind: "POSTGRES", settings: { host: "", port: "99999", database: "d", user: "u" } })).rejects.toMatchObject({
      code: "VALIDATION",
      fieldErrors: { name: [expect.stringMatching(/name/)], host: [expect.stringMatching(/host/i)], port: [expect.stringMatching(/port/i)] },
    });
    await expect(saveConnection({ db, orgId: org.id, actor, name: "Bad", kind: "POSTGRES", settings: { ...PG, tlsMode: "verify-full" } })).rejects.toMatchObject({
      fieldErrors: { caCert: [expect.stringMatching(/CA certificate/)] },
    });
    await expect(saveConnection({ db, orgId: org.id, actor, name: "Bad", kind: "S3", settings: { bucket: "b", accessKeyId: "k", endpoint: "not a url" } })).rejects.toMatchObject({
      fieldErrors: { secretAccessKey: [expect.any(String)], endpoint: [expect.stringMatching(/URL/)] },
    });
    expect(await db.connection.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("a test queues one single-attempt test and one table listing, and re-uses them while pending", async () => {
    const { org, actor } = await setup();
    const { id } = await saveConnection({ db, orgId: org.id, actor, name: "Src", kind: "POSTGRES", settings: PG, secret: "x" });
    const first = await startConnectionJob({ db, pool, orgId: org.id, userId: actor.userId, connectionId: id, kind: "TEST_CONNECTION" });
    const again = await startConnectionJob({ db, pool, orgId: org.id, userId: actor.userId, connectionId: id, kind: "TEST_CONNECTION" });
    expect(again.jobId).toBe(first.jobId);
    const jobs = await db.job.findMany({ where: { orgId: org.id, connectionId: id } });
    expect(jobs.map((j) => [j.kind, j.status, j.maxAttempts]).sort()).toEqual([["INTROSPECT", "QUEUED", 1], ["TEST_CONNECTION", "QUEUED", 1]]);
    // What a worker stores for a refused password becomes plain words on the page.
    await db.job.update({ where: { id: first.jobId }, data: { status: "FAILED", finishedAt: new Date(), error: { code: "SOURCE_AUTH_FAILED", message: "The source server refused the user name or password (connecting).", hint: "Check the user name and password of the connection." } } });
    const status = await getConnectionStatus({ db, orgId: org.id, connectionId: id });
    expect(status.test).toMatchObject({ status: "FAILED", error: { message: expect.stringMatching(/refused the user name or password/), hint: expect.stringMatching(/Check/) } });
    const other = await setup();
    await expect(startConnectionJob({ db, pool, orgId: other.org.id, userId: other.actor.userId, connectionId: id, kind: "TEST_CONNECTION" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a connection used by a workflow cannot be deleted; an unused one can", async () => {
    const { org, actor } = await setup();
    const { id } = await saveConnection({ db, orgId: org.id, actor, name: "Src", kind: "POSTGRES", settings: PG });
    const wf = await db.workflow.create({ data: { orgId: org.id, name: "Nightly" } });
    await db.workflowVersion.create({ data: { workflowId: wf.id, version: 1, config: { version: 1, sourceConnectionId: id, tables: [], outputs: {} } } });
    await expect(deleteConnection({ db, orgId: org.id, actor, connectionId: id })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("Nightly") });
    await db.workflow.delete({ where: { id: wf.id } });
    await deleteConnection({ db, orgId: org.id, actor, connectionId: id });
    expect(await db.connection.count({ where: { id } })).toBe(0);
  });

  it("the page shows the facts the TEST_CONNECTION and INTROSPECT handlers actually report", async () => {
    const { org, actor } = await setup();
    const u = new URL(tdb.url);
    const settings = { host: u.hostname, port: u.port || "5432", database: tdb.name, user: decodeURIComponent(u.username), tlsMode: "disable" };
    const { id } = await saveConnection({ db, orgId: org.id, actor, name: "Self", kind: "POSTGRES", settings, secret: decodeURIComponent(u.password) });
    // Each handler runs for real on a RUNNING job; its return value is what the worker stores as the report.
    const run = async (kind: "TEST_CONNECTION" | "INTROSPECT", handler: (ctx: JobContext) => Promise<unknown>) => {
      const job = await db.job.create({ data: { orgId: org.id, kind, status: "RUNNING", connectionId: id, claimToken: crypto.randomUUID(), input: { schemas: ["public"] } } });
      const claimed = { id: job.id, orgId: org.id, kind, input: job.input, connectionId: id, claimToken: job.claimToken } as ClaimedJob;
      const report = await handler({ job: claimed, signal: new AbortController().signal, pool, workerId: "test", onProgress: () => {}, log: () => {}, assertClaim: async () => {} });
      await db.job.update({ where: { id: job.id }, data: { status: "SUCCEEDED", finishedAt: new Date(), report: report as object } });
    };
    await run("TEST_CONNECTION", runTestConnectionJob);
    await run("INTROSPECT", runIntrospectJob);
    const { rows } = await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v");
    const status = await getConnectionStatus({ db, orgId: org.id, connectionId: id });
    const intro = (await db.connection.findUniqueOrThrow({ where: { id } })).introspection as { tables: unknown[] };
    expect(status.test?.facts).toEqual([
      `PostgreSQL ${rows[0]!.v}`,
      `Signed in as ${settings.user}`,
      expect.stringMatching(new RegExp(`^Database size \\d.* (kB|MB|GB), ${intro.tables.length} tables$`)),
    ]);
    expect(status.introspect?.facts).toEqual([`${intro.tables.length} tables found`]);
    // An S3 test reports its bucket and that its probe object was written and deleted.
    expect(testFacts({ kind: "S3", bucket: "exports", canWrite: true })).toEqual(["Bucket exports is reachable and writable (a test object was written and deleted)"]);
  });
});
