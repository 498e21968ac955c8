import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../../../test/db";
import { createCloneWorkflow, createConnection, createOrgWithSalt, pgConnectionParts } from "../../../../../../test/worker/clone-fixture";

// POST /api/v1/workflows/{id}/runs through its exported handler with real Requests: who may send
// migration SQL, and what a request that coalesces into a queued run may differ in. No worker
// runs here, so the first run of each workflow stays queued.

let db: TestDatabase;
let app: pg.Pool;
let startRun: typeof import("./route").POST;
let createApiKey: typeof import("../../../../../../lib/server/services/api-keys/create-api-key").createApiKey;

beforeAll(async () => {
  db = await createTestDatabase();
  process.env.DATABASE_URL = db.url; // the route handler uses the process-wide clients, created lazily
  app = new pg.Pool({ connectionString: db.url, max: 3 }).on("error", () => {}); // DROP DATABASE ... FORCE may hit a closing client
  startRun = (await import("./route")).POST;
  createApiKey = (await import("../../../../../../lib/server/services/api-keys/create-api-key")).createApiKey;
});

afterAll(async () => {
  await app?.end();
  await db?.drop();
});

async function setup(opts: { migrationDryRun?: boolean } = {}) {
  const orgId = await createOrgWithSalt(app);
  const adminUrl = inject("adminUrl");
  const sourceConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, "unused_source"));
  const targetConnectionId = await createConnection(app, orgId, pgConnectionParts(adminUrl, "unused_target"));
  const workflowId = await createCloneWorkflow(app, orgId, { sourceConnectionId, targetConnectionId, migrationDryRun: opts.migrationDryRun });
  const keyOf = async (role: "ADMIN" | "EDITOR") =>
    (await createApiKey({ orgId, actor: { userId: null as unknown as string, label: "test", role: "OWNER" }, data: { name: role, role } })).key;
  const run = (key: string, body: object) =>
    startRun(new Request(`http://localhost/api/v1/workflows/${workflowId}/runs`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(body) }),
      { params: Promise.resolve({ id: workflowId }) });
  return { workflowId, keyOf, run };
}

const jobsOf = async (workflowId: string) => (await app.query(`SELECT input FROM jobs WHERE workflow_id = $1`, [workflowId])).rows;

describe("start a run", () => {
  it("refuses migration SQL from a key whose role cannot edit workflows (it runs on the target database)", async () => {
    const { workflowId, keyOf, run } = await setup({ migrationDryRun: true });
    const editor = await run(await keyOf("EDITOR"), { migrationSql: "DROP TABLE customers;" });
    expect(editor.status).toBe(403);
    expect((await editor.json()).error).toEqual({
      code: "FORBIDDEN",
      message: "This API key's role (editor) can start runs but not send migration SQL, which runs on the target database. Use a key with the admin or owner role.",
    });
    expect(await jobsOf(workflowId)).toEqual([]);
    const admin = await run(await keyOf("ADMIN"), { migrationSql: "ALTER TABLE customers ADD COLUMN tier text;" });
    expect(admin.status).toBe(201);
    expect(await jobsOf(workflowId)).toEqual([{ input: { migrationSql: "ALTER TABLE customers ADD COLUMN tier text;" } }]);
  });

  it("refuses a draft version (unreviewed columns) with 422, naming the columns; no job", async () => {
    const { workflowId, keyOf, run } = await setup();
    // The source's cached table list has a column that the version neither redacts nor keeps.
    const columns = ["id", "email", "full_name", "note", "gen", "ssn"].map((name) => ({ name, generated: false }));
    await app.query(`UPDATE connections SET introspection = $2 WHERE id = (SELECT (config->>'sourceConnectionId')::uuid FROM workflow_versions WHERE workflow_id = $1)`,
      [workflowId, JSON.stringify({ serverVersion: 180000, schemas: ["public"], tables: [{ schema: "public", name: "customers", columns, foreignKeys: [] }] })]);
    await app.query(`UPDATE workflow_versions SET draft = true WHERE workflow_id = $1`, [workflowId]);
    const res = await run(await keyOf("ADMIN"), {});
    expect(res.status).toBe(422);
    expect((await res.json()).error).toMatchObject({
      code: "VALIDATION",
      message: expect.stringMatching(/^Version 1 of this workflow is a draft: these 3 columns have not been reviewed: public\.customers \(id, gen, ssn\)\. A draft never runs\. Review these columns in the workflow editor/),
      unreviewed: [{ schema: "public", table: "customers", columns: ["id", "gen", "ssn"] }],
    });
    expect(await jobsOf(workflowId)).toEqual([]);
  });

  it("coalesces into the queued run only when the customization values are the same; otherwise 409", async () => {
    const { workflowId, keyOf, run } = await setup();
    const key = await keyOf("EDITOR");
    const first = await run(key, { customizationValues: { company: "Acme Corp", seats: 5 } });
    expect(first.status).toBe(201);
    const { jobId } = await first.json();
    // Same values in another order: the same queued run.
    const same = await run(key, { customizationValues: { seats: 5, company: "Acme Corp" } });
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ jobId, coalesced: true });
    for (const body of [{ customizationValues: { company: "Globex", seats: 5 } }, {}]) {
      const other = await run(key, body);
      expect(other.status).toBe(409);
      expect((await other.json()).error).toEqual({
        code: "CONFLICT", jobId,
        message: "A run of this workflow with other customization values is already queued. Wait for it to start, then try again with your values.",
      });
    }
    expect(await jobsOf(workflowId)).toEqual([{ input: { customizationValues: { company: "Acme Corp", seats: 5 } } }]);
  });

  it("refuses a 20 MB body with 413 and stores nothing, sent in one piece or streamed", async () => {
    const { workflowId, keyOf, run } = await setup();
    const key = await keyOf("EDITOR");
    const huge = { customizationValues: { company_name: "x".repeat(20 * 1024 * 1024) } };
    const declared = await run(key, huge);
    expect(declared.status).toBe(413);
    expect((await declared.json()).error).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    // Streamed: counted while read and cut off at the cap, long before its end.
    const chunk = new TextEncoder().encode("x".repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new TextEncoder().encode('{"customizationValues":{"company_name":"')),
      pull: (c) => (sent++ < 20 ? c.enqueue(chunk) : (c.enqueue(new TextEncoder().encode('"}}')), c.close())),
    });
    const streamed = await startRun(
      new Request(`http://localhost/api/v1/workflows/${workflowId}/runs`, { method: "POST", headers: { authorization: `Bearer ${key}` }, body, duplex: "half" } as RequestInit),
      { params: Promise.resolve({ id: workflowId }) },
    );
    expect(streamed.status).toBe(413);
    expect(sent).toBeLessThan(20);
    expect(await jobsOf(workflowId)).toEqual([]);
  });

  it("bounds customization values in the schema too: a value over 10,000 characters is a 422", async () => {
    const { workflowId, keyOf, run } = await setup();
    const res = await run(await keyOf("EDITOR"), { customizationValues: { company_name: "x".repeat(10_001) } });
    expect(res.status).toBe(422);
    expect(await jobsOf(workflowId)).toEqual([]);
  });
});
