import { randomBytes } from "node:crypto";
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import type { Role } from "../../../generated/prisma/enums";
import { createPrisma, type Db } from "../db";
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

/** A user whose address is verified unless `verified: false`. */
export async function makeUser(db: Db, opts: { email?: string; name?: string; verified?: boolean } = {}) {
  const id = uid();
  return db.user.create({
    data: {
      email: opts.email ?? `user-${id}@example.test`,
      name: opts.name ?? `Test User ${id}`,
      passwordHash: await (passwordHash ??= hashPassword(TEST_PASSWORD)),
      emailVerifiedAt: opts.verified === false ? null : new Date(),
    },
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

export type AppTestDatabase = { tdb: TestDatabase; db: Db; pool: pg.Pool; close(): Promise<void> };

/**
 * The usual integration-test app database: a fresh copy of the migrated template, a Prisma
 * client and a pg pool (for the queue's SQL) on it, and one close() that releases all three.
 */
export async function openAppTestDatabase(opts: { dbMax?: number; poolMax?: number } = {}): Promise<AppTestDatabase> {
  ensureTestSecretKey();
  const tdb = await createTestDatabase();
  const db = createPrisma(tdb.url, { max: opts.dbMax ?? 4 });
  const pool = new pg.Pool({ connectionString: tdb.url, max: opts.poolMax ?? 3 });
  return {
    tdb,
    db,
    pool,
    close: async () => {
      await pool.end();
      await db.$disconnect();
      await tdb.drop();
    },
  };
}
