import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";

// Decides whether `npm start` must run `next build`: a fingerprint of the sources the web
// build depends on (paths, sizes, mtimes), compared with the one recorded after the last build.

const INPUTS = ["app", "lib", "public", "generated", "next.config.js", "postcss.config.mjs", "package.json", "tsconfig.json"];
const FILE = path.join(".next", "doppel-fingerprint");

async function walk(p: string, out: string[]) {
  if (!existsSync(p)) return;
  const s = await stat(p);
  if (s.isDirectory()) {
    for (const e of await readdir(p)) await walk(path.join(p, e), out);
  } else {
    out.push(`${p}:${s.size}:${s.mtimeMs}`);
  }
}

export async function fingerprint() {
  const entries: string[] = [];
  for (const p of INPUTS) await walk(p, entries);
  return createHash("sha256").update(entries.sort().join("\n")).digest("hex");
}

export async function buildIsCurrent() {
  if (!existsSync(path.join(".next", "BUILD_ID")) || !existsSync(FILE)) return false;
  return (await readFile(FILE, "utf8")) === (await fingerprint());
}

export async function recordBuild() {
  await writeFile(FILE, await fingerprint());
}
