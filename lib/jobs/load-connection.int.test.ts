import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/test/db";
import { createCloneWorkflow, createConnection, createOrgWithSalt, pgConnectionParts } from "@/test/worker/clone-fixture";
import { encryptSecret } from "../server/crypto";
import { loadConnection } from "./load-connection";
import { resolveDefinition } from "./resolve-definition";

// The one loader of stored connections (used by every job handler and by resolveDefinition):
// tenancy by { id, orgId }, the kind the caller needs, secrets decrypted, plain-words failures.

let db: TestDatabase;
let app: pg.Pool;
let orgId: string;
let pgId: string;
let s3Id: string;

async function insertConnection(kind: "POSTGRES" | "S3", config: object, secretEnc: string | null) {
  const { rows } = await app.query(
    `INSERT INTO connections (id, org_id, name, kind, config, secret_enc, updated_at) VALUES (gen_random_uuid(), $1, $2, $3::"ConnectionKind", $4, $5, now()) RETURNING id`,
    [orgId, `${kind.toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`, kind, JSON.stringify(config), secretEnc],
  );
  return rows[0].id as string;
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = new pg.Pool({ connectionString: db.url, max: 2 });
  orgId = await createOrgWithSalt(app);
  pgId = await createConnection(app, orgId, pgConnectionParts(inject("adminUrl"), "src_db", { password: "pw-of-test" }));
  s3Id = await insertConnection("S3", { bucket: "exports", accessKeyId: "AK", endpoint: "http://s3.example.test:9" }, encryptSecret("s3-secret"));
});
afterAll(async () => {
  await app?.end();
  await db?.drop();
});

describe("loadConnection", () => {
  it("loads a connection of the organisation with its secret, in the kind asked for", async () => {
    const conn = await loadConnection(app, orgId, pgId, { kind: "POSTGRES" });
    expect(conn).toMatchObject({ id: pgId, kind: "POSTGRES", pg: { database: "src_db", password: "pw-of-test" } });
    expect(await loadConnection(app, orgId, s3Id)).toMatchObject({ kind: "S3", s3: { bucket: "exports", secretAccessKey: "s3-secret" } });
  });

  it("another organisation's connection, a malformed id and the wrong kind are refused in plain words", async () => {
    const other = await createOrgWithSalt(app);
    await expect(loadConnection(app, other, pgId)).rejects.toMatchObject({ code: "INVALID_INPUT", message: "The connection no longer exists." });
    await expect(loadConnection(app, orgId, "not-a-uuid", { role: "source" })).rejects.toMatchObject({ message: "The source connection no longer exists." });
    await expect(loadConnection(app, orgId, s3Id, { kind: "POSTGRES", role: "scanned" })).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/^The scanned connection "s3-\w+" is not a PostgreSQL connection\.$/) });
  });

  it("an unreadable secret and an incomplete config name the connection and the field, never the secret", async () => {
    const broken = await insertConnection("POSTGRES", { host: "h", database: "d", user: "u" }, "v1:not-a-ciphertext");
    await expect(loadConnection(app, orgId, broken)).rejects.toMatchObject({ code: "SECRET_UNREADABLE" });
    const incomplete = await insertConnection("S3", { accessKeyId: "AK" }, encryptSecret("s3-secret"));
    const err = await loadConnection(app, orgId, incomplete).catch((e: Error) => e);
    expect(err).toMatchObject({ code: "INVALID_INPUT", message: expect.stringMatching(/incomplete: bucket/) });
    expect((err as Error).message).not.toContain("s3-secret");
  });

  it("resolveDefinition loads the workflow's connections through it: an S3 connection as target is refused", async () => {
    const wf = await createCloneWorkflow(app, orgId, { sourceConnectionId: pgId, targetConnectionId: s3Id });
    await expect(resolveDefinition(app, { orgId, workflowId: wf, version: null })).rejects.toMatchObject({
      code: "INVALID_DEFINITION", message: expect.stringMatching(/^The target connection "s3-\w+" is not a PostgreSQL connection\.$/), hint: "Open the workflow and choose another connection.",
    });
    const ok = await createCloneWorkflow(app, orgId, { sourceConnectionId: pgId, targetConnectionId: pgId });
    expect((await resolveDefinition(app, { orgId, workflowId: ok, version: null })).definition.source).toMatchObject({ database: "src_db", password: "pw-of-test" });
  });
});

describe("loadConnection and the egress policy", () => {
  it("refuses a stored connection whose host the policy refuses (saved before it, or the allow-list changed), with the one message", async () => {
    const id = await insertConnection("POSTGRES", { host: "169.254.169.254", port: 5432, database: "d", user: "u", tlsMode: "disable" }, encryptSecret("pw"));
    await expect(loadConnection(app, orgId, id)).rejects.toMatchObject({ code: "EGRESS_REFUSED", message: expect.stringContaining("DOPPEL_EGRESS_ALLOW") });
  });
});
