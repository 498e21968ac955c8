import { randomBytes } from "node:crypto";
import type { Role } from "../../../generated/prisma/enums";
import type { Db } from "../db";
import { hashPassword } from "../password";
import { createOrg } from "../services/orgs/create-org";

// Test-only factories for integration tests (never imported by the app).

/** Integration tests need an app key for the per-org hash salt; a random one per run is fine. */
export function ensureTestSecretKey() {
  process.env.DOPPEL_SECRET_KEY ??= randomBytes(32).toString("base64");
}

export const TEST_PASSWORD = "Correct-horse-battery-staple";
let passwordHash: Promise<string> | undefined;

export const uid = () => randomBytes(4).toString("hex");

export async function makeUser(db: Db, opts: { email?: string; name?: string } = {}) {
  const id = uid();
  return db.user.create({
    data: { email: opts.email ?? `user-${id}@example.test`, name: opts.name ?? `Test User ${id}`, passwordHash: await (passwordHash ??= hashPassword(TEST_PASSWORD)) },
  });
}

/** An organisation owned by `owner`, plus optional extra members with roles. */
export async function makeOrg(db: Db, owner: { id: string; email: string }, members: { user: { id: string }; role: Role }[] = []) {
  ensureTestSecretKey();
  const org = await createOrg({ db, userId: owner.id, actorLabel: owner.email, name: `Org ${uid()}` });
  for (const m of members) await db.membership.create({ data: { orgId: org.id, userId: m.user.id, role: m.role } });
  return org;
}

export async function membershipOf(db: Db, orgId: string, userId: string) {
  return db.membership.findUniqueOrThrow({ where: { orgId_userId: { orgId, userId } } });
}
