import { egressAllowList } from "../lib/egress/policy";
import { HANDLERS } from "../lib/jobs/handlers";
import { jsonLogger } from "../lib/jobs/logger";
import { configFromEnv, Worker } from "../lib/jobs/worker";

// The worker process: `npm run worker` (npm start runs one). Connects to the app database
// (DATABASE_URL), claims jobs until SIGTERM/SIGINT, then stops claiming, lets running jobs finish
// up to WORKER_SHUTDOWN_TIMEOUT_MS, releases the rest for other workers and exits 0.
// Settings (env): WORKER_CONCURRENCY (1), WORKER_LEASE_MS (30000), WORKER_HEARTBEAT_MS (5000),
// WORKER_POLL_MS (2000), WORKER_ORG_CONCURRENCY (2), WORKER_RETRY_BASE_MS (5000),
// WORKER_RETRY_MAX_MS (300000), WORKER_SCHEDULER_INTERVAL_MS (5000),
// WORKER_RECLAIM_INTERVAL_MS (a third of the lease, at least 1000; jittered), WORKER_KINDS (all),
// DOPPEL_EGRESS_ALLOW (internal addresses the jobs may reach, lib/egress/policy.ts; none).

async function main() {
  const boot = jsonLogger({ worker: "starting" });
  let worker: Worker;
  try {
    const probe = configFromEnv(process.env, HANDLERS, boot);
    egressAllowList(); // a misspelt allow-list stops the worker here, not each job later
    worker = new Worker({ ...probe, log: jsonLogger({ worker: probe.workerId }) });
  } catch (err) {
    boot("error", (err as Error).message);
    process.exit(1);
  }
  let stopping: Promise<void> | null = null;
  const shutdown = (signal: string) => {
    if (stopping) return;
    jsonLogger({ worker: worker.id })("info", `received ${signal}`);
    stopping = worker.stop().then(
      () => process.exit(0),
      (err) => {
        jsonLogger({ worker: worker.id })("error", "unclean shutdown", { error: (err as Error).name });
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  if (!process.env.DOPPEL_SECRET_KEY) {
    jsonLogger({ worker: worker.id })("warn", "DOPPEL_SECRET_KEY is not set: jobs that need connection secrets will fail. Use the web app's key.");
  }
  try {
    await worker.start();
  } catch (err) {
    jsonLogger({ worker: worker.id })("error", "cannot connect to the app database; check DATABASE_URL", { code: (err as { code?: string }).code });
    process.exit(1);
  }
}

void main();
