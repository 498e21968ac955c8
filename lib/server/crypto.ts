import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// Secrets at rest (connection passwords, S3 secret keys, per-organisation hash salts):
// AES-256-GCM with a versioned key. Ciphertext format: `v<N>:<iv b64>:<tag b64>:<data b64>`.
// Keys come from the environment: DOPPEL_SECRET_KEY (current, base64 of 32 bytes, version
// DOPPEL_SECRET_KEY_VERSION, default 1) and DOPPEL_SECRET_KEY_V<N> for older versions, so that
// keys can be rotated without losing data encrypted under an old one.
// Plain Node: the worker uses it to decrypt connection secrets.

type Keyring = { current: number; keys: Map<number, Buffer> };

function loadKeyring(env: NodeJS.ProcessEnv = process.env): Keyring {
  const keys = new Map<number, Buffer>();
  for (const [name, value] of Object.entries(env)) {
    const m = /^DOPPEL_SECRET_KEY_V(\d+)$/.exec(name);
    if (m && value) keys.set(Number(m[1]), decodeKey(value, name));
  }
  const current = Number(env.DOPPEL_SECRET_KEY_VERSION ?? 1);
  if (env.DOPPEL_SECRET_KEY) keys.set(current, decodeKey(env.DOPPEL_SECRET_KEY, "DOPPEL_SECRET_KEY"));
  if (!keys.has(current)) {
    throw new Error("DOPPEL_SECRET_KEY is not set. Generate one with `openssl rand -base64 32` and keep it safe: it encrypts connection secrets.");
  }
  return { current, keys };
}

function decodeKey(value: string, name: string) {
  const key = Buffer.from(value, "base64");
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, base64-encoded (openssl rand -base64 32).`);
  return key;
}

let cached: Keyring | undefined;
const keyring = () => (cached ??= loadKeyring());

export function encryptSecret(plaintext: string): string {
  const { current, keys } = keyring();
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keys.get(current)!, iv);
  const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `v${current}:${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${data.toString("base64")}`;
}

export function decryptSecret(ciphertext: string): string {
  const [v, iv, tag, data] = ciphertext.split(":");
  const version = Number(v?.slice(1));
  const key = keyring().keys.get(version);
  if (!key || !iv || !tag || data === undefined) throw new Error(`Cannot decrypt a secret of key version ${v}: that key is not configured.`);
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
}

/** For tests: forget the cached keyring after changing the environment. */
export function resetKeyringForTests() {
  cached = undefined;
}
