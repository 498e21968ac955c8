import { timingSafeEqual } from "node:crypto";
import { hashLinkToken, newLinkToken } from "./link-token";

// Invite links: a link token (link-token.ts: 256 bits, stored as sha256), valid 7 days.
// verifyInviteToken exists for callers holding a token and a stored hash.

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const hashInviteToken = hashLinkToken;

export function createInviteToken(now = new Date()): { token: string; tokenHash: string; expiresAt: Date } {
  return newLinkToken(INVITE_TTL_MS, now);
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
