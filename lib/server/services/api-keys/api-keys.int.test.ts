import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/db";
import { getRegisteredAction } from "../../action-registry";
import { createPrisma, type Db } from "../../db";
import { ensureTestSecretKey, makeOrg, makeUser } from "../../testing/fixtures";
import { hashApiKey } from "./api-key-token";

// Creating an API key through its action on a real app database: the permission and the input
// are checked once, by orgAction (the service trusts its only caller); the key is shown once and
// only its hash is stored.

let tdb: TestDatabase;
let db: Db;

beforeAll(async () => {
  ensureTestSecretKey();
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 3 });
  await import("../../../../app/(app)/[orgSlug]/settings/api-keys/actions");
});
afterAll(async () => {
  await db.$disconnect();
  await tdb.drop();
});

describe("apiKey.create", () => {
  it("an admin gets the key once (EDITOR unless chosen); editors are refused and bad input names the field", async () => {
    const [owner, admin, editor] = [await makeUser(db), await makeUser(db), await makeUser(db)];
    const org = await makeOrg(db, owner, [{ user: admin, role: "ADMIN" }, { user: editor, role: "EDITOR" }]);
    const create = (userId: string, input: unknown) => getRegisteredAction("apiKey.create").invoke({ db, userId, orgSlug: org.slug, input });

    const res = await create(admin.id, { name: "  GitHub Actions " });
    expect(res).toMatchObject({ ok: true, data: { name: "GitHub Actions", role: "EDITOR", key: expect.stringMatching(/^dpl_/) } });
    const { key, id } = (res as { data: { key: string; id: string } }).data;
    const row = await db.apiKey.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ orgId: org.id, role: "EDITOR", keyHash: hashApiKey(key), createdById: admin.id });
    expect(JSON.stringify(row)).not.toContain(key);
    expect(await db.auditLog.findFirst({ where: { orgId: org.id, action: "api_key.created" } })).toMatchObject({ target: "GitHub Actions", actorId: admin.id });

    expect(await create(editor.id, { name: "mine" })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await create(admin.id, { name: " ", role: "OWNER" })).toMatchObject({ ok: false, error: { code: "VALIDATION", fieldErrors: { name: [expect.any(String)], role: [expect.any(String)] } } });
    expect(await db.apiKey.count({ where: { orgId: org.id } })).toBe(1);
  });
});
