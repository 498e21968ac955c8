import { WORKER_ENTRY, WORKER_NODE_FLAGS } from "../../scripts/build-worker";
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";

// Test helpers for real worker processes: spawn the built worker, `node .build/worker/main.mjs` (built by test/global-setup.ts) (one process,
// so SIGKILL/SIGSTOP hit the worker itself, not a wrapper), collect its JSON log lines, poll.

const ROOT = path.resolve(import.meta.dirname, "../..");

export type LogEntry = { level: string; msg: string; worker?: string; jobId?: string; [k: string]: unknown };

export type WorkerProcess = {
  proc: ChildProcess;
  id: string;
  logs: LogEntry[];
  exited: Promise<number | null>;
  waitForLog(pred: (l: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

export const FAST_WORKER_ENV = {
  WORKER_LEASE_MS: "3000",
  WORKER_HEARTBEAT_MS: "500",
  WORKER_POLL_MS: "500",
  WORKER_RETRY_BASE_MS: "200",
  WORKER_RETRY_MAX_MS: "5000",
  WORKER_SCHEDULER_INTERVAL_MS: "60000",
  WORKER_PROGRESS_INTERVAL_MS: "200",
  WORKER_SHUTDOWN_TIMEOUT_MS: "5000",
};

export function spawnWorker(databaseUrl: string, id: string, env: Record<string, string> = {}): WorkerProcess {
  const proc = spawn(process.execPath, [...WORKER_NODE_FLAGS, WORKER_ENTRY], {
    cwd: ROOT,
    env: { ...process.env, ...FAST_WORKER_ENV, ...env, DATABASE_URL: databaseUrl, WORKER_ID: id },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: LogEntry[] = [];
  let buf = "";
  proc.stdout!.on("data", (chunk: Buffer) => {
    buf += chunk.toString("utf8");
    let nl: number;
    while ((nl = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      try {
        logs.push(JSON.parse(line));
      } catch {
        logs.push({ level: "raw", msg: line });
      }
    }
  });
  let stderr = "";
  proc.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return {
    proc,
    id,
    logs,
    exited,
    async waitForLog(pred, timeoutMs = 20_000) {
      return waitFor(() => logs.find(pred), { timeoutMs, what: `worker ${id} log line (stderr: ${stderr.slice(-500)})` });
    },
    async stop(signal = "SIGTERM") {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Polls fn until it returns a truthy value; fails after the deadline with what it was waiting for. */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${opts.what ?? "a condition"}`);
    await sleep(opts.intervalMs ?? 50);
  }
}

export async function createOrg(pool: pg.Pool, name = `Org ${Math.random().toString(36).slice(2, 8)}`): Promise<string> {
  const { rows } = await pool.query(
    `INSERT INTO organizations (id, name, slug, hash_salt_enc) VALUES (gen_random_uuid(), $1, $2, 'unused') RETURNING id`,
    [name, name.toLowerCase().replace(/[^a-z0-9]+/g, "-") + "-" + Math.random().toString(36).slice(2, 8)],
  );
  return rows[0].id;
}

export async function jobRow(pool: pg.Pool, id: string) {
  const { rows } = await pool.query(`SELECT * FROM jobs WHERE id = $1`, [id]);
  return rows[0];
}
