// Child process of the benchmark: runs one clone from a definition file and prints its duration
// and the process's peak RSS as JSON (the parent measures memory of the engine alone).
import { readFile } from "node:fs/promises";
import { runClone } from "../lib/pipeline/run-clone";

const def = JSON.parse(await readFile(process.argv[2], "utf8"));
const started = performance.now();
const report = await runClone(def);
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, rows: report.totals.rowsWritten, bytes: report.totals.bytes, maxRssKb: process.resourceUsage().maxRSS }));
