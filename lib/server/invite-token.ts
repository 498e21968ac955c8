import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Invite links carry 32 random bytes (256 bits) as base64url. Only the sha256 of the token
// is stored, so a database leak does not hand out working links. Lookup is by hash
// (unique index), which needs no constant-time compare; verifyInviteToken exists for callers
// holding a token and a stored hash.

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function hashInviteToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function createInviteToken(now = new Date()): { token: string; tokenHash: string; expiresAt: Date } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInviteToken(token), expiresAt: new Date(now.getTime() + INVITE_TTL_MS) };
}

export function verifyInviteToken(token: string, tokenHash: string): boolean {
  const a = Buffer.from(hashInviteToken(token), "hex");
  const b = Buffer.from(tokenHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

export type InviteState = "pending" | "expired" | "revoked" | "accepted";

export function inviteState(invite: { expiresAt: Date; acceptedAt: Date | null; revokedAt: Date | null }, now = new Date()): InviteState {
  if (invite.acceptedAt) return "accepted";
  if (invite.revokedAt) return "revoked";
  if (invite.expiresAt.getTime() <= now.getTime()) return "expired";
  return "pending";
}
