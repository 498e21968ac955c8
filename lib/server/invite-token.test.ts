import { describe, expect, it } from "vitest";
import { createInviteToken, hashInviteToken, INVITE_TTL_MS, inviteState, verifyInviteToken } from "./invite-token";

describe("invite tokens", () => {
  it("are 256 random bits, base64url, unique, and stored only as a sha256 hash", () => {
    const tokens = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const { token, tokenHash } = createInviteToken();
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
      expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(tokenHash).not.toContain(token);
      expect(hashInviteToken(token)).toBe(tokenHash);
      tokens.add(token);
    }
    expect(tokens.size).toBe(200);
  });

  it("verify accepts the right token and refuses others", () => {
    const a = createInviteToken();
    const b = createInviteToken();
    expect(verifyInviteToken(a.token, a.tokenHash)).toBe(true);
    expect(verifyInviteToken(b.token, a.tokenHash)).toBe(false);
    expect(verifyInviteToken(`${a.token}x`, a.tokenHash)).toBe(false);
    expect(verifyInviteToken(a.token, "deadbeef")).toBe(false);
  });

  it("expire after exactly 7 days", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const { expiresAt } = createInviteToken(now);
    expect(expiresAt.getTime() - now.getTime()).toBe(INVITE_TTL_MS);
    expect(INVITE_TTL_MS).toBe(7 * 24 * 3600 * 1000);
    const invite = { expiresAt, acceptedAt: null, revokedAt: null };
    expect(inviteState(invite, new Date(expiresAt.getTime() - 1))).toBe("pending");
    expect(inviteState(invite, expiresAt)).toBe("expired");
  });

  it("report used and revoked before expired", () => {
    const past = new Date(Date.now() - 1000);
    expect(inviteState({ expiresAt: past, acceptedAt: new Date(), revokedAt: null })).toBe("accepted");
    expect(inviteState({ expiresAt: past, acceptedAt: null, revokedAt: new Date() })).toBe("revoked");
  });
});
