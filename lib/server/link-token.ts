import { createHash, randomBytes } from "node:crypto";

// Tokens of links sent to a person (invites, email verification): 32 random bytes (256 bits) as
// base64url. Only the sha256 is stored, so a database leak hands out no working link; lookup is
// by hash (unique index), which needs no constant-time compare. Tokens are never logged.

export function hashLinkToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function newLinkToken(ttlMs: number, now = new Date()): { token: string; tokenHash: string; expiresAt: Date } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashLinkToken(token), expiresAt: new Date(now.getTime() + ttlMs) };
}
