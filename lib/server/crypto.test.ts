import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, resetKeyringForTests } from "./crypto";

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
  resetKeyringForTests();
});

describe("secret encryption", () => {
  it("round-trips, never stores the plaintext, and uses a fresh IV each time", () => {
    process.env.DOPPEL_SECRET_KEY = randomBytes(32).toString("base64");
    const a = encryptSecret("hunter2-fake-password");
    const b = encryptSecret("hunter2-fake-password");
    expect(a).not.toContain("hunter2");
    expect(a).not.toBe(b);
    expect(decryptSecret(a)).toBe("hunter2-fake-password");
  });

  it("decrypts with an older key version after rotation", () => {
    const oldKey = randomBytes(32).toString("base64");
    process.env.DOPPEL_SECRET_KEY = oldKey;
    const old = encryptSecret("s3cret");
    resetKeyringForTests();
    process.env.DOPPEL_SECRET_KEY = randomBytes(32).toString("base64");
    process.env.DOPPEL_SECRET_KEY_VERSION = "2";
    process.env.DOPPEL_SECRET_KEY_V1 = oldKey;
    expect(encryptSecret("x").startsWith("v2:")).toBe(true);
    expect(decryptSecret(old)).toBe("s3cret");
  });

  it("rejects tampered ciphertext and a missing key", () => {
    process.env.DOPPEL_SECRET_KEY = randomBytes(32).toString("base64");
    const parts = encryptSecret("value").split(":");
    parts[3] = Buffer.from("tampered").toString("base64");
    expect(() => decryptSecret(parts.join(":"))).toThrow();
    resetKeyringForTests();
    delete process.env.DOPPEL_SECRET_KEY;
    expect(() => encryptSecret("x")).toThrow(/DOPPEL_SECRET_KEY is not set/);
  });
});
