// Builds the worker process into plain JavaScript: `.build/worker/main.mjs` (the worker),
// `redact-worker.mjs` (its redaction threads, found next to it), `engine-child.mjs` (the
// benchmark's engine run, so that the benchmark measures the engine as workers run it) and
// `redact-transform-bench.mjs` (the redaction micro-benchmark, likewise).
//
// Why: under tsx, the TypeScript loader runs in a thread of its own with its own heap; a worker
// started that way held ~46 MiB more (139 vs 93 MiB resident when idle, measured 2026-12-02), and
// each clone's peak grew by the same. Bundled with esbuild (our code only; packages stay in
// node_modules, imported as usual), the worker starts on plain `node`.
// `npm start`, `npm run worker`, the test setup and the benchmark call buildWorker(); it takes
// well under a second. `npx tsx scripts/build-worker.ts` builds by hand.

import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { build } from "esbuild";

const ROOT = path.resolve(import.meta.dirname, "..");
export const WORKER_BUILD_DIR = path.join(ROOT, ".build", "worker");
export const WORKER_ENTRY = path.join(WORKER_BUILD_DIR, "main.mjs");
export const ENGINE_CHILD_ENTRY = path.join(WORKER_BUILD_DIR, "engine-child.mjs");
/**
 * Node flags of a worker process (package.json's "worker" script repeats them). A smaller young
 * generation: the copy allocates short-lived strings and buffers at a steady rate, and V8's
 * default 16 MiB semi-spaces grew the peak by ~20 MiB with no CPU saved (bench at 0.1 scale,
 * 2026-12-02: peak RSS 147 MiB with 16, 127-130 with 4, 124-125 with 2; CPU-s the same within noise).
 */
export const WORKER_NODE_FLAGS = ["--max-semi-space-size=4"];

const ENTRIES = {
  main: "workers/main.ts",
  "redact-worker": "lib/pipeline/redact-worker.ts",
  "engine-child": "bench/engine-child.ts",
  // The redaction micro-benchmark, so that its worker threads load as a worker's do (npm run bench:redact).
  "redact-transform-bench": "bench/redact-transform-bench.ts",
};

export async function buildWorker(): Promise<void> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    tsconfig: path.join(ROOT, "tsconfig.json"),
    outdir: WORKER_BUILD_DIR,
    outExtension: { ".js": ".mjs" },
    // Dynamic imports become chunks loaded when first used: the S3 SDK (~25 MiB resident) only in runs with an S3 output.
    splitting: true,
    // Chunks beside the entries: parallel-redact-transform.ts finds redact-worker.mjs next to its own file.
    chunkNames: "[name]-[hash]",
    write: false,
    logLevel: "warning",
  });
  await mkdir(WORKER_BUILD_DIR, { recursive: true });
  // Each file written beside its final name and renamed into place: a process starting a worker
  // while another build runs (parallel test runs) never reads half a file.
  for (const file of result.outputFiles) {
    const tmp = `${file.path}.${process.pid}.tmp`;
    await mkdir(path.dirname(file.path), { recursive: true });
    await writeFile(tmp, file.contents);
    await rename(tmp, file.path);
  }
}

if (import.meta.filename === process.argv[1]) await buildWorker();
