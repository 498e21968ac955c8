import { chmod, mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../lib/dev/embedded-postgres";

// Which PostgreSQL servers the tests use.
// - primary: TEST_DATABASE_URL, else DATABASE_URL, else an embedded PostgreSQL 18 started for
//   this run only (fresh data folder, free port, stopped at the end). Concurrent runs never
//   share an embedded server, so one run's teardown cannot pull the server from under another.
// - alt: a server of another major version, for source/target version-skew tests:
//   TEST_ALT_DATABASE_URL, else (primary is 18) the machine's server at 127.0.0.1:5432 if one
//   answers, else (primary is older) an embedded 18. Null when none is available.
// Only the URL's server matters: tests create (and drop) databases of their own on it.

export type TestServer = { adminUrl: string; version: number; stop(): Promise<void> };

export async function startTestServer(): Promise<TestServer> {
  const configured = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (configured) {
    assertLocal(configured);
    return { adminUrl: configured, version: await serverMajor(configured), stop: async () => {} };
  }
  return startThrowawayEmbedded();
}

export async function startAltServer(primary: TestServer): Promise<TestServer | null> {
  const configured = process.env.TEST_ALT_DATABASE_URL;
  if (configured) {
    assertLocal(configured);
    return { adminUrl: configured, version: await serverMajor(configured), stop: async () => {} };
  }
  if (primary.version < 18) return startThrowawayEmbedded();
  const local = "postgresql://postgres@127.0.0.1:5432/postgres";
  const version = await serverMajor(local).catch(() => null);
  return version && version !== primary.version ? { adminUrl: local, version, stop: async () => {} } : null;
}

async function startThrowawayEmbedded(): Promise<TestServer> {
  const stateDir = await mkdtemp(path.join(os.tmpdir(), "doppel-test-pg-"));
  await chmod(stateDir, 0o755); // run as root, the server runs as `postgres` and must reach it
  const server = await startEmbeddedPostgres({ stateDir, port: await freePort() });
  return {
    adminUrl: server.adminUrl,
    version: await serverMajor(server.adminUrl),
    stop: async () => {
      await server.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    const { rows } = await client.query("SHOW server_version_num");
    return Math.floor(Number(rows[0].server_version_num) / 10000);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Tests create and drop databases: refuse anything but a server on this machine. */
export function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]", ""].includes(host)) {
    throw new Error(`Refusing to run tests against ${host}: tests create and drop databases, so they only run against a local server.`);
  }
}

export { withDatabase } from "../lib/dev/url";
