// Child process of the benchmark: runs one clone from a definition file (and, for a delta run, the
// previous run's delta state from a second file) and prints its duration, the process's peak RSS
// and the per-table report as JSON (the parent measures memory of the engine alone).
import { readFile } from "node:fs/promises";
import { runClone } from "../lib/pipeline/run-clone";
import type { ProgressEvent } from "../lib/pipeline/types";

const def = JSON.parse(await readFile(process.argv[2], "utf8"));
const started = performance.now();
const deltaState = process.argv[3] ? JSON.parse(await readFile(process.argv[3], "utf8")) : undefined;
// BENCH_VERBOSE=1: the engine's log lines (phase timings) on stderr. The run's step timings go into the JSON.
let steps = "";
const onProgress = (e: ProgressEvent) => {
  if (e.type !== "log") return;
  if (e.message.startsWith("Steps (ms): ")) steps = e.message.slice("Steps (ms): ".length);
  if (process.env.BENCH_VERBOSE) console.error(e.message);
};
const report = await runClone(def, { deltaState, onProgress });
const ms = performance.now() - started;
const cpu = process.cpuUsage();
console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, rows: report.totals.rowsWritten, bytes: report.totals.bytes, maxRssKb: process.resourceUsage().maxRSS, tables: report.tables, delta: report.delta, steps }));
