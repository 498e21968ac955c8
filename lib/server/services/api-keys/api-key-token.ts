import { createHash, randomBytes } from "node:crypto";

// `dpl_` + 256 random bits (base64url). Only the SHA-256 is stored (a key has full entropy, so a
// fast hash is enough); the first characters are kept to tell keys apart in the list.
export const API_KEY_PREFIX = "dpl_";

export function newApiKey(): { key: string; prefix: string; keyHash: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, prefix: key.slice(0, 12), keyHash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}
