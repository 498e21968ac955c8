import type { Db } from "../../db";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

/**
 * Locks the organisation's owner memberships for the rest of the transaction and returns
 * their ids. Two owners demoting each other at once then serialise, and the second sees
 * that only one owner is left.
 */
export async function lockOwners(tx: Tx, orgId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text FROM memberships WHERE org_id = ${orgId}::uuid AND role = 'OWNER' ORDER BY id FOR UPDATE`;
  return rows.map((r) => r.id);
}

export const LAST_OWNER_MESSAGE = "An organisation needs at least one owner. Make someone else an owner first, or transfer ownership.";
