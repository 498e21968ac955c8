import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/db";
import { createPrisma, type Db } from "../../db";
import { ensureTestSecretKey, makeOrg, makeUser, membershipOf } from "../../testing/fixtures";
import { changeRole } from "./change-role";
import { removeMember } from "./remove-member";
import { transferOwnership } from "./transfer-ownership";

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  ensureTestSecretKey();
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 6 });
});
afterAll(async () => {
  await db.$disconnect();
  await tdb.drop();
});

const as = (user: { id: string; email: string }, role: "OWNER" | "ADMIN" | "EDITOR" | "VIEWER") => ({ userId: user.id, label: user.email, role });

describe("role changes", () => {
  it("an admin changes an editor to viewer; the audit log records from/to", async () => {
    const [owner, admin, editor] = [await makeUser(db), await makeUser(db), await makeUser(db)];
    const org = await makeOrg(db, owner, [{ user: admin, role: "ADMIN" }, { user: editor, role: "EDITOR" }]);
    const m = await membershipOf(db, org.id, editor.id);
    await changeRole({ db, orgId: org.id, actor: as(admin, "ADMIN"), membershipId: m.id, role: "VIEWER" });
    expect((await membershipOf(db, org.id, editor.id)).role).toBe("VIEWER");
    const entry = await db.auditLog.findFirstOrThrow({ where: { orgId: org.id, action: "member.role_changed" } });
    expect(entry).toMatchObject({ actorLabel: admin.email, target: editor.email, details: { from: "EDITOR", to: "VIEWER" } });
  });

  it("the last owner can be neither demoted nor removed", async () => {
    const owner = await makeUser(db);
    const org = await makeOrg(db, owner);
    const m = await membershipOf(db, org.id, owner.id);
    await expect(changeRole({ db, orgId: org.id, actor: as(owner, "OWNER"), membershipId: m.id, role: "ADMIN" })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/at least one owner/) });
    await expect(removeMember({ db, orgId: org.id, actor: as(owner, "OWNER"), membershipId: m.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await membershipOf(db, org.id, owner.id)).role).toBe("OWNER");
  });

  it("two owners demoting each other at once leave exactly one owner", async () => {
    const [a, b] = [await makeUser(db), await makeUser(db)];
    const org = await makeOrg(db, a, [{ user: b, role: "OWNER" }]);
    const [ma, mb] = [await membershipOf(db, org.id, a.id), await membershipOf(db, org.id, b.id)];
    const results = await Promise.allSettled([
      changeRole({ db, orgId: org.id, actor: as(a, "OWNER"), membershipId: mb.id, role: "ADMIN" }),
      changeRole({ db, orgId: org.id, actor: as(b, "OWNER"), membershipId: ma.id, role: "ADMIN" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.membership.count({ where: { orgId: org.id, role: "OWNER" } })).toBe(1);
  });

  it("an admin cannot demote, promote to, or remove an owner", async () => {
    const [owner, admin, viewer] = [await makeUser(db), await makeUser(db), await makeUser(db)];
    const org = await makeOrg(db, owner, [{ user: admin, role: "ADMIN" }, { user: viewer, role: "VIEWER" }]);
    const mo = await membershipOf(db, org.id, owner.id);
    const mv = await membershipOf(db, org.id, viewer.id);
    await expect(changeRole({ db, orgId: org.id, actor: as(admin, "ADMIN"), membershipId: mo.id, role: "VIEWER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(changeRole({ db, orgId: org.id, actor: as(admin, "ADMIN"), membershipId: mv.id, role: "OWNER" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(removeMember({ db, orgId: org.id, actor: as(admin, "ADMIN"), membershipId: mo.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await removeMember({ db, orgId: org.id, actor: as(admin, "ADMIN"), membershipId: mv.id });
    expect(await db.membership.count({ where: { orgId: org.id } })).toBe(2);
    expect(await db.auditLog.count({ where: { orgId: org.id, action: "member.removed", target: viewer.email } })).toBe(1);
  });

  it("an owner transfers ownership and becomes an admin", async () => {
    const [owner, admin] = [await makeUser(db), await makeUser(db)];
    const org = await makeOrg(db, owner, [{ user: admin, role: "ADMIN" }]);
    const ma = await membershipOf(db, org.id, admin.id);
    await transferOwnership({ db, orgId: org.id, actor: as(owner, "OWNER"), membershipId: ma.id });
    expect((await membershipOf(db, org.id, admin.id)).role).toBe("OWNER");
    expect((await membershipOf(db, org.id, owner.id)).role).toBe("ADMIN");
  });
});
