import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/db";
import { createPrisma, type Db } from "../../db";
import { hashInviteToken } from "../../invite-token";
import { hashLinkToken } from "../../link-token";
import { getRegisteredAction } from "../../action-registry";
import { ensureTestSecretKey, makeOrg, makeUser, membershipOf, uid } from "../../testing/fixtures";
import { issueEmailVerification } from "../auth/issue-email-verification";
import { signUp } from "../auth/sign-up";
import { verifyEmail } from "../auth/verify-email";
import { homeOrgSlug } from "../orgs/home-org";
import { acceptInvite, UNVERIFIED_MESSAGE } from "./accept-invite";
import { createInvite } from "./create-invite";
import { findInviteByToken } from "./find-invite";
import { resendInvite } from "./resend-invite";
import { revokeInvite } from "./revoke-invite";
import "../../../../app/(app)/[orgSlug]/settings/members/actions";
import "../../../../app/(auth)/sign-up/actions";

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  ensureTestSecretKey();
  process.env.NEXTAUTH_URL ??= "http://localhost:3000"; // the invite action builds links from it
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 6 });
});
afterAll(async () => {
  await db.$disconnect();
  await tdb.drop();
});

async function setup() {
  const owner = await makeUser(db);
  const org = await makeOrg(db, owner);
  const actor = { userId: owner.id, label: owner.email, role: "OWNER" as const };
  const email = `invitee-${uid()}@example.test`;
  return { owner, org, actor, email };
}

describe("invites", () => {
  it("store only the token's hash, and an invited user who accepts joins with the role", async () => {
    const { org, actor, email } = await setup();
    const { token, inviteId } = await createInvite({ db, orgId: org.id, actor, email, role: "EDITOR" });
    const row = await db.invite.findUniqueOrThrow({ where: { id: inviteId } });
    expect(row.tokenHash).toBe(hashInviteToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(await findInviteByToken({ db, token })).toMatchObject({ state: "pending", email, role: "EDITOR" });

    const invitee = await makeUser(db, { email });
    const joined = await acceptInvite({ db, token, userId: invitee.id });
    expect(joined.slug).toBe(org.slug);
    expect((await membershipOf(db, org.id, invitee.id)).role).toBe("EDITOR");
    const audit = await db.auditLog.findMany({ where: { orgId: org.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["org.created", "invite.sent", "invite.accepted"]);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("are accepted only by a verified address: signing up from the link does not join, verifying the email does", async () => {
    const { org, actor, email } = await setup();
    const { token } = await createInvite({ db, orgId: org.id, actor, email, role: "VIEWER" });
    const res = await signUp({ db, ip: "t", input: { name: "New Person", email, password: "Correct-horse-battery", confirmPassword: "Correct-horse-battery" } });
    expect(res.orgSlug).not.toBe(org.slug);
    await expect(acceptInvite({ db, token, userId: res.userId })).rejects.toMatchObject({ code: "FORBIDDEN", message: UNVERIFIED_MESSAGE });
    expect(await db.membership.count({ where: { orgId: org.id, userId: res.userId } })).toBe(0);
    expect(await findInviteByToken({ db, token })).toMatchObject({ state: "pending" });

    const link = await issueEmailVerification({ db, userId: res.userId });
    expect(link.email).toBe(email);
    const row = await db.emailVerification.findFirstOrThrow({ where: { userId: res.userId } });
    expect(row.tokenHash).toBe(hashLinkToken(link.token));
    expect(JSON.stringify(row)).not.toContain(link.token);
    expect(await verifyEmail({ db, token: link.token })).toEqual({ email });
    await acceptInvite({ db, token, userId: res.userId });
    expect((await membershipOf(db, org.id, res.userId)).role).toBe("VIEWER");
  });

  it("verification links are single use, expire, and only the newest works", async () => {
    const user = await makeUser(db, { verified: false });
    const first = await issueEmailVerification({ db, userId: user.id });
    const second = await issueEmailVerification({ db, userId: user.id });
    await expect(verifyEmail({ db, token: first.token })).rejects.toMatchObject({ code: "GONE" });
    await db.emailVerification.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(verifyEmail({ db, token: second.token })).rejects.toMatchObject({ code: "GONE" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).toBeNull();
    const third = await issueEmailVerification({ db, userId: user.id });
    await verifyEmail({ db, token: third.token });
    await expect(verifyEmail({ db, token: third.token })).rejects.toMatchObject({ code: "GONE" });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerifiedAt).not.toBeNull();
  });

  it("are single-use", async () => {
    const { org, actor, email } = await setup();
    const { token } = await createInvite({ db, orgId: org.id, actor, email, role: "VIEWER" });
    const invitee = await makeUser(db, { email });
    await acceptInvite({ db, token, userId: invitee.id });
    await expect(acceptInvite({ db, token, userId: invitee.id })).rejects.toMatchObject({ code: "GONE", message: "This invite has already been used." });
    expect(await findInviteByToken({ db, token })).toMatchObject({ state: "accepted" });
  });

  it("accepted twice at the same moment adds the member once", async () => {
    const { org, actor, email } = await setup();
    const { token } = await createInvite({ db, orgId: org.id, actor, email, role: "VIEWER" });
    const invitee = await makeUser(db, { email });
    const results = await Promise.allSettled([acceptInvite({ db, token, userId: invitee.id }), acceptInvite({ db, token, userId: invitee.id })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.membership.count({ where: { orgId: org.id, userId: invitee.id } })).toBe(1);
  });

  it("are bound to the invited email", async () => {
    const { org, actor, email } = await setup();
    const { token } = await createInvite({ db, orgId: org.id, actor, email, role: "ADMIN" });
    const stranger = await makeUser(db);
    await expect(acceptInvite({ db, token, userId: stranger.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(await db.membership.count({ where: { orgId: org.id, userId: stranger.id } })).toBe(0);
    // ... and stay usable by the right person.
    const invitee = await makeUser(db, { email });
    await acceptInvite({ db, token, userId: invitee.id });
    expect((await membershipOf(db, org.id, invitee.id)).role).toBe("ADMIN");
  });

  it("expire after 7 days", async () => {
    const { org, actor, email } = await setup();
    const { token, inviteId, expiresAt } = await createInvite({ db, orgId: org.id, actor, email, role: "VIEWER" });
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(7 * 24 * 3600 * 1000 - 60_000);
    await db.invite.update({ where: { id: inviteId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const invitee = await makeUser(db, { email });
    await expect(acceptInvite({ db, token, userId: invitee.id })).rejects.toMatchObject({ code: "GONE", message: expect.stringMatching(/expired/) });
    expect(await findInviteByToken({ db, token })).toMatchObject({ state: "expired" });
    expect(await db.membership.count({ where: { orgId: org.id, userId: invitee.id } })).toBe(0);
  });

  it("can be revoked, after which the link is dead", async () => {
    const { org, actor, email } = await setup();
    const { token, inviteId } = await createInvite({ db, orgId: org.id, actor, email, role: "VIEWER" });
    await revokeInvite({ db, orgId: org.id, actor, inviteId });
    const invitee = await makeUser(db, { email });
    await expect(acceptInvite({ db, token, userId: invitee.id })).rejects.toMatchObject({ code: "GONE", message: expect.stringMatching(/revoked/) });
    await expect(revokeInvite({ db, orgId: org.id, actor, inviteId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(resendInvite({ db, orgId: org.id, actor, inviteId })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("resend issues a new token and expiry; the old link stops working", async () => {
    const { org, actor, email } = await setup();
    const first = await createInvite({ db, orgId: org.id, actor, email, role: "EDITOR" });
    await db.invite.update({ where: { id: first.inviteId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const second = await resendInvite({ db, orgId: org.id, actor, inviteId: first.inviteId });
    expect(second.token).not.toBe(first.token);
    expect(second.expiresAt.getTime()).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);
    expect(await findInviteByToken({ db, token: first.token })).toEqual({ state: "invalid" });
    const invitee = await makeUser(db, { email });
    await expect(acceptInvite({ db, token: first.token, userId: invitee.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await acceptInvite({ db, token: second.token, userId: invitee.id });
    expect((await membershipOf(db, org.id, invitee.id)).role).toBe("EDITOR");
  });

  it("refuse members and duplicates", async () => {
    const { owner, org, actor, email } = await setup();
    await expect(createInvite({ db, orgId: org.id, actor, email: owner.email, role: "VIEWER" })).rejects.toMatchObject({ code: "CONFLICT" });
    await createInvite({ db, orgId: org.id, actor, email, role: "VIEWER" });
    await expect(createInvite({ db, orgId: org.id, actor, email, role: "VIEWER" })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("offer admin, editor and viewer only: the invite action refuses Owner, even from an owner", async () => {
    const { owner, org } = await setup();
    const invite = (role: string, email = `x-${uid()}@example.test`) => getRegisteredAction("invite.create").invoke({ db, userId: owner.id, orgSlug: org.slug, input: { email, role } });
    const refused = await invite("OWNER");
    expect(refused).toMatchObject({ ok: false, error: { code: "VALIDATION", fieldErrors: { role: [expect.stringContaining("transfer ownership")] } } });
    expect(await db.invite.count({ where: { orgId: org.id } })).toBe(0);
    for (const role of ["ADMIN", "EDITOR", "VIEWER"]) expect(await invite(role), role).toMatchObject({ ok: true });
    expect(await db.invite.count({ where: { orgId: org.id } })).toBe(3);
  });

  it("signing up from an invite makes no personal organisation; accepting it lands the invitee in the joined one", async () => {
    const { org, actor, email } = await setup();
    const { token } = await createInvite({ db, orgId: org.id, actor, email, role: "EDITOR" });
    const input = { name: "Invited Person", email, password: "Correct-horse-battery", confirmPassword: "Correct-horse-battery", inviteToken: token };
    const res = await getRegisteredAction("auth.signUp").invoke({ db, userId: null, input, ip: `10.9.${uid().slice(0, 2)}` });
    expect(res).toMatchObject({ ok: true, data: { orgSlug: null } });
    const userId = (res as { ok: true; data: { userId: string } }).data.userId;
    expect(await db.membership.count({ where: { userId } })).toBe(0);
    expect(await db.organization.count({ where: { name: "Invited Person" } })).toBe(0);

    const { token: verification } = await issueEmailVerification({ db, userId });
    await verifyEmail({ db, token: verification });
    await acceptInvite({ db, token, userId });
    expect(await db.membership.findMany({ where: { userId }, select: { orgId: true, role: true } })).toEqual([{ orgId: org.id, role: "EDITOR" }]);
    expect(await homeOrgSlug({ db, userId })).toBe(org.slug);
  });

  it("a sign-up with an invite that is no longer pending, or for another address, is an ordinary one (personal organisation)", async () => {
    const { org, actor, email } = await setup();
    const { token, inviteId } = await createInvite({ db, orgId: org.id, actor, email, role: "VIEWER" });
    const base = { name: "Someone Else", password: "Correct-horse-battery", confirmPassword: "Correct-horse-battery", inviteToken: token };
    const other = await signUp({ db, ip: "t2", input: { ...base, email: `other-${uid()}@example.test` } });
    expect(other.orgSlug).toEqual(expect.any(String));
    await revokeInvite({ db, orgId: org.id, actor, inviteId });
    const late = await signUp({ db, ip: "t3", input: { ...base, email } });
    expect(late.orgSlug).toEqual(expect.any(String));
    expect(await db.membership.count({ where: { userId: late.userId, role: "OWNER" } })).toBe(1);
  });
});
