import { randomBytes } from "node:crypto";
import { recordAudit } from "../../audit";
import { encryptSecret } from "../../crypto";
import { prisma, type Db } from "../../db";
import { slugify } from "./make-slug";

export type CreateOrgOptions = { db?: Db; userId: string; actorLabel: string; name: string };
export type CreatedOrg = { id: string; slug: string; name: string };

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/** Picks a free slug: the name's slug, else with -2, -3 ... (a unique index backs the choice). */
async function freeSlug(db: Tx | Db, name: string): Promise<string> {
  const base = slugify(name);
  const taken = new Set(
    (await db.organization.findMany({ where: { slug: { startsWith: base } }, select: { slug: true } })).map((o) => o.slug),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; i < 1000; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
  return `${base}-${randomBytes(3).toString("hex")}`;
}

/** Creates an organisation with the user as its owner and a fresh per-org hash salt. */
export async function createOrgInTx(tx: Tx, { userId, actorLabel, name }: Omit<CreateOrgOptions, "db">): Promise<CreatedOrg> {
  const org = await tx.organization.create({
    data: {
      name,
      slug: await freeSlug(tx, name),
      hashSaltEnc: encryptSecret(randomBytes(32).toString("base64")),
      memberships: { create: { userId, role: "OWNER" } },
    },
    select: { id: true, slug: true, name: true },
  });
  await recordAudit({ orgId: org.id, actor: { id: userId, label: actorLabel }, action: "org.created", target: org.name }, tx as Db);
  return org;
}

export async function createOrg({ db = prisma, ...opts }: CreateOrgOptions): Promise<CreatedOrg> {
  // Two creators racing for the same slug: the loser retries once with a fresh look.
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.$transaction((tx) => createOrgInTx(tx, opts));
    } catch (err) {
      if (attempt < 2 && (err as { code?: string }).code === "P2002") continue;
      throw err;
    }
  }
}
