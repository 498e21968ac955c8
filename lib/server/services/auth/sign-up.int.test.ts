import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/db";
import { getRegisteredAction } from "../../action-registry";
import { decryptSecret } from "../../crypto";
import { createPrisma, type Db } from "../../db";
import { verifyPassword } from "../../password";
import { ensureTestSecretKey, uid } from "../../testing/fixtures";
import { verifyCredentials } from "./verify-credentials";
import "../../../../app/(auth)/sign-up/actions";

// Sign-up through the registered server action (validation + service), as the form calls it.

let tdb: TestDatabase;
let db: Db;
beforeAll(async () => {
  ensureTestSecretKey();
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 4 });
});
afterAll(async () => {
  await db.$disconnect();
  await tdb.drop();
});

const signUp = (input: Record<string, unknown>, ip = `10.0.0.${Math.floor(Math.random() * 250)}`) =>
  getRegisteredAction("auth.signUp").invoke({ db, userId: null, input, ip });

const person = () => {
  const id = uid();
  return { name: `Ada Lovelace ${id}`, email: `ada-${id}@Example.TEST`, password: "Correct-horse-battery", confirmPassword: "Correct-horse-battery" };
};

describe("sign-up", () => {
  it("creates the user (argon2id hash) and a personal organisation they own, with an encrypted hash salt", async () => {
    const p = person();
    const res = await signUp(p);
    expect(res.ok).toBe(true);
    const { orgSlug } = (res as { ok: true; data: { orgSlug: string } }).data;
    const user = await db.user.findUniqueOrThrow({ where: { email: p.email.toLowerCase() } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash, p.password)).toBe(true);
    const org = await db.organization.findUniqueOrThrow({ where: { slug: orgSlug }, include: { memberships: true } });
    expect(orgSlug).toMatch(/^ada-lovelace-[0-9a-f]{8}$/);
    expect(org.memberships).toEqual([expect.objectContaining({ userId: user.id, role: "OWNER" })]);
    expect(Buffer.from(decryptSecret(org.hashSaltEnc), "base64")).toHaveLength(32);
    const audit = await db.auditLog.findMany({ where: { actorId: user.id }, orderBy: { createdAt: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["auth.sign_up", "org.created"]);
  });

  it("gives a second user with the same name a different slug", async () => {
    const a = { ...person(), name: "Grace Hopper" };
    const b = { ...person(), name: "Grace Hopper" };
    const ra = await signUp(a);
    const rb = await signUp(b);
    const slugs = [ra, rb].map((r) => (r as { ok: true; data: { orgSlug: string } }).data.orgSlug);
    expect(new Set(slugs).size).toBe(2);
    expect(slugs.every((s) => s.startsWith("grace-hopper"))).toBe(true);
  });

  it("refuses a taken email (case-insensitively) on the email field", async () => {
    const p = person();
    expect((await signUp(p)).ok).toBe(true);
    const again = await signUp({ ...person(), email: p.email.toUpperCase() });
    expect(again).toEqual({ ok: false, error: expect.objectContaining({ code: "CONFLICT", fieldErrors: { email: [expect.stringMatching(/already exists/)] } }) });
    expect(await db.user.count({ where: { email: p.email.toLowerCase() } })).toBe(1);
  });

  it("refuses weak passwords and mismatched confirmation with field errors, creating nothing", async () => {
    const before = await db.user.count();
    const local = `zed${uid()}`;
    for (const [password, message] of [
      ["short", /at least 10/],
      ["password123", /too common/],
      [`${local}-secret`, /email/],
    ] as const) {
      const p = { ...person(), email: `${local}@example.test`, password, confirmPassword: password };
      const res = await signUp(p);
      expect(res.ok).toBe(false);
      if (!res.ok) {
        expect(res.error.code).toBe("VALIDATION");
        expect(res.error.fieldErrors?.password?.[0]).toMatch(message);
      }
    }
    const mismatch = await signUp({ ...person(), confirmPassword: "Something-else-entirely" });
    expect(!mismatch.ok && mismatch.error.fieldErrors?.confirmPassword?.[0]).toBe("The passwords don't match.");
    expect(await db.user.count()).toBe(before);
  });

  it("rate-limits sign-up attempts per email and says when to retry", async () => {
    const p = person();
    // Invalid forms are refused before the limiter and do not count.
    const invalid = await signUp({ ...p, password: "x", confirmPassword: "x" });
    expect(!invalid.ok && invalid.error.code).toBe("VALIDATION");
    const real = [];
    for (let i = 0; i < 6; i++) real.push(await signUp(p));
    expect(real[0]!.ok).toBe(true);
    expect(real.slice(1, 5).every((r) => !r.ok && r.error.code === "CONFLICT")).toBe(true);
    const last = real[5]!;
    expect(!last.ok && last.error.code).toBe("RATE_LIMITED");
    expect(!last.ok && last.error.message).toMatch(/^Too many attempts\. Try again in \d+ s\.$/);
  });
});

describe("sign-in", () => {
  it("accepts the right password and refuses a wrong one or an unknown email", async () => {
    const p = person();
    await signUp(p);
    const ip = `192.0.2.${Math.floor(Math.random() * 250)}`;
    expect(await verifyCredentials({ db, email: p.email, password: p.password, ip })).toMatchObject({ email: p.email.toLowerCase(), sessionVersion: 0 });
    expect(await verifyCredentials({ db, email: p.email, password: "Wrong-password-123", ip })).toBeNull();
    expect(await verifyCredentials({ db, email: `nobody-${uid()}@example.test`, password: p.password, ip })).toBeNull();
  });

  it("limits failures per email and IP: a success is not counted, and failures from one IP never lock the owner out of another", async () => {
    const p = person();
    await signUp(p);
    const [ipA, ipB] = [`198.51.100.${Math.floor(Math.random() * 250)}`, `203.0.113.${Math.floor(Math.random() * 250)}`];
    for (let i = 0; i < 9; i++) expect(await verifyCredentials({ db, email: p.email, password: "Wrong-password-123", ip: ipA })).toBeNull();
    // The owner signs in from A between the guesses: not counted, so a 10th failure is still allowed...
    expect(await verifyCredentials({ db, email: p.email, password: p.password, ip: ipA })).toMatchObject({ email: p.email.toLowerCase() });
    expect(await verifyCredentials({ db, email: p.email, password: "Wrong-password-123", ip: ipA })).toBeNull();
    // ... and then A is refused even with the right password, while B signs in.
    await expect(verifyCredentials({ db, email: p.email, password: p.password, ip: ipA })).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await verifyCredentials({ db, email: p.email, password: p.password, ip: ipB })).toMatchObject({ email: p.email.toLowerCase() });
    const user = await db.user.findUniqueOrThrow({ where: { email: p.email.toLowerCase() } });
    const actions = (await db.auditLog.findMany({ where: { actorId: user.id, orgId: null } })).map((a) => a.action);
    expect(actions.filter((a) => a === "auth.sign_in")).toHaveLength(2);
    expect(actions.filter((a) => a === "auth.sign_in_failed")).toHaveLength(10);
  });
});
