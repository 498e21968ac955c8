import { spawnSync } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../test/pg-server";
import { startEmbeddedPostgres } from "./embedded-postgres";

// Issue 15: "First start works where people clone". As root the server runs as the OS user
// `postgres`; with the checkout in root's 0700 home neither the data folder nor the binaries
// that npm installed there are within its reach. Real processes: initdb and postgres run.

const isRoot = process.getuid?.() === 0;
const cleanup: string[] = [];
afterEach(async () => {
  for (const p of cleanup.splice(0)) await rm(p, { recursive: true, force: true });
});

/** The installed platform package (@embedded-postgres/<platform>-<arch>), copied into `dir`. */
async function copyOfBinaryPackage(dir: string) {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const installed = path.resolve(path.dirname(createRequire(import.meta.url).resolve(name)), "..");
  const copy = path.join(dir, "node_modules", ...name.split("/"));
  // A real copy, not a symlink to the reachable original: its lib/ symlinks stay relative, inside it.
  await cp(installed, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

async function reachableTempDir(prefix: string) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await chmod(dir, 0o755);
  cleanup.push(dir);
  return dir;
}

describe.skipIf(!isRoot)("as root, from a checkout in a 0700 folder (skipped unless run as root: only root hands the server to the OS user postgres)", () => {
  it("starts the quick start's embedded server with its binaries copied where `postgres` can run them", async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), "doppel-home-"));
    cleanup.push(home);
    await chmod(home, 0o700);
    const app = path.join(home, "app");
    await mkdir(app);
    const packageDir = await copyOfBinaryPackage(app);
    const stateDir = path.join(app, ".doppel");
    const cacheRoot = await reachableTempDir("doppel-bin-cache-");

    // The layout reproduces the report: the OS user postgres cannot run the installed initdb.
    const uid = Number(spawnSync("id", ["-u", "postgres"]).stdout.toString().trim() || NaN);
    if (Number.isInteger(uid)) {
      const gid = Number(spawnSync("id", ["-g", "postgres"]).stdout.toString().trim());
      const direct = spawnSync(path.join(packageDir, "native", "bin", "initdb"), ["--version"], { uid, gid });
      expect((direct.error as NodeJS.ErrnoException | undefined)?.code).toBe("EACCES");
    }

    const server = await startEmbeddedPostgres({ stateDir, port: await freePort(), binaries: { packageDir, cacheRoot } });
    cleanup.push(server.dataDir, `${server.dataDir}.log`);
    try {
      const client = new pg.Client({ connectionString: server.adminUrl });
      await client.connect();
      try {
        const { rows } = await client.query<{ dir: string; v: string }>("SELECT current_setting('data_directory') AS dir, current_setting('server_version_num') AS v");
        expect(rows[0]!.dir).toBe(server.dataDir);
        expect(Number(rows[0]!.v)).toBeGreaterThanOrEqual(180000);
      } finally {
        await client.end();
      }
      expect(server.dataDir.startsWith(home)).toBe(false);
      // The binaries it runs: one copy, owned by root, 0755, keyed by version and hash.
      const copies = await readdir(cacheRoot);
      expect(copies).toEqual([expect.stringMatching(/^doppel-pg-bin-[\w.-]+-[0-9a-f]{12}$/)]);
      const s = await stat(path.join(cacheRoot, copies[0]!, "bin", "postgres"));
      expect({ uid: s.uid, mode: s.mode & 0o777 }).toEqual({ uid: 0, mode: 0o755 });
    } finally {
      await server.stop();
    }

    // A second start (restart of the quick start) reuses the cluster and the copy.
    const again = await startEmbeddedPostgres({ stateDir, port: await freePort(), binaries: { packageDir, cacheRoot } });
    await again.stop();
    expect(again.dataDir).toBe(server.dataDir);
    expect(await readdir(cacheRoot)).toHaveLength(1);
  });
});

describe("a failed start is a message, not a crash", () => {
  it("names the port and the setting when the port is taken", async () => {
    const stateDir = await reachableTempDir("doppel-state-");
    const squatter = net.createServer().listen(0, "127.0.0.1");
    await new Promise((r) => squatter.once("listening", r));
    const port = (squatter.address() as net.AddressInfo).port;
    try {
      const error = await startEmbeddedPostgres({ stateDir, port }).then(() => null, (e: Error) => e);
      expect(error?.name).toBe("EmbeddedPostgresError");
      expect(error?.message).toMatch(new RegExp(`could not start: the server .* stopped during start-up.*Port ${port} is taken by another program: set DOPPEL_PG_PORT`));
      expect(error?.stack).toBe(`EmbeddedPostgresError: ${error?.message}`);
    } finally {
      squatter.close();
    }
  });

  it("names the binary and the cause when it cannot be run (the spawn error of the report)", async () => {
    const stateDir = await reachableTempDir("doppel-state-");
    const brokenPackage = await reachableTempDir("doppel-broken-binaries-");
    await mkdir(path.join(brokenPackage, "native", "bin"), { recursive: true, mode: 0o755 });
    for (const name of ["initdb", "postgres"]) await writeFile(path.join(brokenPackage, "native", "bin", name), "", { mode: 0o644 });
    const error = await startEmbeddedPostgres({ stateDir, port: await freePort(), binaries: { packageDir: brokenPackage } }).then(() => null, (e: Error) => e);
    expect(error?.name).toBe("EmbeddedPostgresError");
    expect(error?.message).toContain(`${path.join(brokenPackage, "native", "bin", "initdb")} could not be run (EACCES`);
  });

  it("says which binary is missing and what to do", async () => {
    const stateDir = await reachableTempDir("doppel-state-");
    const emptyPackage = await reachableTempDir("doppel-no-binaries-");
    const error = await startEmbeddedPostgres({ stateDir, port: await freePort(), binaries: { packageDir: emptyPackage } }).then(() => null, (e: Error) => e);
    expect(error?.message).toBe(
      `The embedded PostgreSQL could not start: the server binary ${path.join(emptyPackage, "native", "bin", "initdb")} is missing. Reinstall the dependencies with \`npm install\`, or set DATABASE_URL to use a PostgreSQL server of your own.`,
    );
  });
});
