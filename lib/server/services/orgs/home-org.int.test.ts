import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db";
import { type AppTestDatabase, makeOrg, makeUser, openAppTestDatabase } from "../../testing/fixtures";
import { homeOrgSlug, rememberLastOrg } from "./home-org";

let app: AppTestDatabase;
let db: Db;
beforeAll(async () => {
  app = await openAppTestDatabase();
  db = app.db;
});
afterAll(async () => {
  await app?.close();
});

describe("home organisation", () => {
  it("is the last one opened while the user is a member of it, else the oldest membership", async () => {
    const user = await makeUser(db);
    const first = await makeOrg(db, user);
    const other = await makeUser(db);
    const second = await makeOrg(db, other, [{ user, role: "VIEWER" }]);
    expect(await homeOrgSlug({ db, userId: user.id })).toBe(first.slug);
    await rememberLastOrg({ db, userId: user.id, orgId: second.id });
    expect(await homeOrgSlug({ db, userId: user.id })).toBe(second.slug);
    await rememberLastOrg({ db, userId: user.id, orgId: first.id });
    expect(await homeOrgSlug({ db, userId: user.id })).toBe(first.slug);

    // Removed from the remembered organisation: back to the oldest membership.
    await rememberLastOrg({ db, userId: user.id, orgId: second.id });
    await db.membership.deleteMany({ where: { orgId: second.id, userId: user.id } });
    expect(await homeOrgSlug({ db, userId: user.id })).toBe(first.slug);
  });

  it("is forgotten when the organisation is deleted; none without memberships", async () => {
    const user = await makeUser(db);
    const org = await makeOrg(db, user);
    await rememberLastOrg({ db, userId: user.id, orgId: org.id });
    expect(await homeOrgSlug({ db, userId: user.id })).toBe(org.slug);
    await db.organization.delete({ where: { id: org.id } });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastOrgId).toBeNull();
    expect(await homeOrgSlug({ db, userId: user.id })).toBeNull();
  });
});
