// `npm start`: the whole product in one command — database, migrations, production build,
// web server and one worker; the web app makes each organisation's demo databases on request.
//   npm start                    embedded PostgreSQL under .doppel/ (no DATABASE_URL)
//   DATABASE_URL=... npm start   that server instead (DOPPEL_SECRET_KEY and NEXTAUTH_SECRET required);
//                                no demo databases there unless DOPPEL_DEMO_DATABASES=on
// Options: --port N (default $PORT or 3000), --skip-build (use the existing .next build),
//          --no-worker (web only; run workers with `npm run worker`).
import { buildWorker, WORKER_ENTRY, WORKER_NODE_FLAGS } from "./build-worker";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrate } from "../lib/db/migrate";
import { lockDownMaintenanceDatabases, retireSharedDemoRole } from "../lib/dev/demo-databases";
import { DEFAULT_DEMO_PREFIX, demoDatabasesEnabled, demoEnvironment } from "../lib/dev/demo-settings";
import { ensureDatabase, startEmbeddedPostgres } from "../lib/dev/embedded-postgres";
import { withDatabase } from "../lib/dev/url";
import { buildIsCurrent, recordBuild } from "./build-fingerprint";
import { bin, generatePrismaClientIfStale, run } from "./util";

const t0 = Date.now();
const { values: args } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    "skip-build": { type: "boolean", default: false },
    "no-worker": { type: "boolean", default: false },
  },
});
const port = Number(args.port);
const stateDir = path.join(process.cwd(), ".doppel");
const log = (msg: string) => console.log(`[doppel] ${msg}`);
const children: ChildProcess[] = [];
let stopEmbedded: () => Promise<void> = async () => {};
let shuttingDown = false;

async function main() {
  await mkdir(stateDir, { recursive: true });
  const env = await resolveEnvironment();

  log("Applying database migrations");
  const { applied } = await migrate(env.DATABASE_URL);
  log(applied.length ? `Applied ${applied.join(", ")}` : "Database schema is up to date");

  const demoOn = demoDatabasesEnabled(process.env);
  if (demoOn && env.embedded) await secureEmbeddedServer(env.adminUrl);

  await generatePrismaClientIfStale();
  if (!args["skip-build"] && !(await buildIsCurrent())) {
    log("Building the web app (first start, or the code changed) ...");
    await run(bin("next"), ["build"], { NEXT_TELEMETRY_DISABLED: "1" });
    await recordBuild();
  }

  const demo = demoEnvironment(process.env, env.adminUrl);
  const childEnv = {
    ...process.env,
    ...env.vars,
    NODE_ENV: "production" as const,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    // One worker process runs up to 3 jobs at once, so a connection test still answers within
    // seconds while an organisation's two clones (its concurrency limit) are running.
    WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY ?? "3",
    ...demo.all,
  };
  // `next start` directly, not through npx: npx leaves the server running when its pid is killed.
  // Only the web app creates demo databases, so only it gets the demo server's admin URL.
  children.push(spawnChild("web", bin("next"), ["start", "-p", String(port), "-H", "127.0.0.1"], { ...childEnv, ...demo.web }));
  if (!args["no-worker"]) {
    await buildWorker();
    children.push(spawnChild("worker", process.execPath, [...WORKER_NODE_FLAGS, WORKER_ENTRY], childEnv));
  }
  await waitForHealth(`http://127.0.0.1:${port}/api/health`);

  log(`Doppel is ready at http://localhost:${port}  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  if (demoOn) log("Demo databases: each organisation gets its own pair from Connections → Use the demo databases.");
  log("Press Ctrl+C to stop.");
}

/**
 * The embedded server is ours alone: besides the app database (its migration revokes PUBLIC's
 * CONNECT), no demo role may sign in to the maintenance databases, and the one shared demo role
 * of earlier versions is retired.
 */
async function secureEmbeddedServer(adminUrl: string) {
  await lockDownMaintenanceDatabases(adminUrl);
  if (await retireSharedDemoRole(adminUrl, process.env.DOPPEL_DEMO_DB_PREFIX || DEFAULT_DEMO_PREFIX)) {
    log("The demo role shared by all organisations (earlier versions) can no longer sign in; each organisation now gets its own demo databases from Connections → Use the demo databases.");
  }
}

type ResolvedEnv = { DATABASE_URL: string; adminUrl: string; embedded: boolean; vars: Record<string, string> };

async function resolveEnvironment(): Promise<ResolvedEnv> {
  if (process.env.DATABASE_URL) {
    const missing = ["DOPPEL_SECRET_KEY", "NEXTAUTH_SECRET"].filter((k) => !process.env[k]);
    if (missing.length) {
      throw new Error(`${missing.join(" and ")} must be set when DATABASE_URL is set (generate each with \`openssl rand -base64 32\`). Without DATABASE_URL, npm start uses an embedded database and generates them.`);
    }
    const url = process.env.DATABASE_URL;
    return { DATABASE_URL: url, adminUrl: url, embedded: false, vars: { DATABASE_URL: url } };
  }
  const secrets = await quickStartSecrets();
  log("No DATABASE_URL: starting the embedded PostgreSQL (data in .doppel/)");
  const server = await startEmbeddedPostgres({ stateDir, port: Number(process.env.DOPPEL_PG_PORT ?? 54329), log });
  stopEmbedded = () => server.stop();
  await ensureDatabase(server.adminUrl, "doppel");
  const url = withDatabase(server.adminUrl, "doppel");
  return { DATABASE_URL: url, adminUrl: server.adminUrl, embedded: true, vars: { DATABASE_URL: url, ...secrets } };
}

/** Quick start only: keys generated once into the git-ignored .doppel/ folder. */
async function quickStartSecrets(): Promise<Record<string, string>> {
  const file = path.join(stateDir, "secrets.json");
  let secrets: Record<string, string> = {};
  if (existsSync(file)) secrets = JSON.parse(await readFile(file, "utf8"));
  let changed = false;
  for (const key of ["DOPPEL_SECRET_KEY", "NEXTAUTH_SECRET"]) {
    if (process.env[key]) secrets[key] = process.env[key]!;
    else if (!secrets[key]) {
      secrets[key] = randomBytes(32).toString("base64");
      changed = true;
    }
  }
  if (changed) {
    await writeFile(file, JSON.stringify(secrets, null, 2) + "\n", { mode: 0o600 });
    log("Generated an encryption key for connection secrets in .doppel/secrets.json (keep it: without it saved passwords cannot be read)");
  }
  return secrets;
}

function spawnChild(name: string, cmd: string, argv: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(cmd, argv, { stdio: ["ignore", "inherit", "inherit"], env });
  child.on("exit", (code, signal) => {
    if (shuttingDown) return;
    log(`${name} stopped (${signal ?? `exit code ${code}`}); shutting down.`);
    void shutdown(1);
  });
  return child;
}

async function waitForHealth(url: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The web app did not answer on ${url} within ${timeoutMs / 1000} s.`);
}

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  await Promise.all(
    children.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null || c.signalCode !== null) return resolve();
      c.once("exit", () => resolve());
      c.kill("SIGTERM");
      setTimeout(() => c.kill("SIGKILL"), 15_000).unref();
    })),
  );
  await stopEmbedded().catch(() => {});
  process.exit(code);
}

process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
main().catch(async (err: Error) => {
  console.error(`[doppel] Could not start: ${err.message}`);
  await shutdown(1);
});
