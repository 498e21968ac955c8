import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";

/** Runs a command with inherited output; rejects with its exit code. */
export function run(cmd: string, argv: string[], extraEnv: Record<string, string | undefined> = {}, opts: { quiet?: boolean } = {}) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: opts.quiet ? "ignore" : "inherit", env: { ...process.env, ...extraEnv } });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${argv.join(" ")} exited with ${code}`))));
    child.on("error", reject);
  });
}

export const bin = (name: string) => path.join("node_modules", ".bin", name);

/** `prisma generate` rewrites generated/ (and so would force a web rebuild): only when the schema changed. */
export async function generatePrismaClientIfStale() {
  const client = path.join("generated", "prisma", "client.ts");
  const stale = !existsSync(client) || (await stat("prisma/schema.prisma")).mtimeMs > (await stat(client)).mtimeMs;
  if (stale) {
    await run(bin("prisma"), ["generate"], { PRISMA_SCHEMA_ENGINE_BINARY: "/bin/false", DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://localhost/unused" }, { quiet: true });
  }
}
