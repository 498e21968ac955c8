// A redaction worker thread, kept warm in a pool (parallel-redact-transform.ts) across tables and
// runs: a `configure` message compiles one table's rules (kept until `forget`), then it rewrites
// the batches of whole COPY rows (text or binary) it is sent, each numbered from the row the main
// thread gives, so error messages name the same row as the single-threaded transform would.

import { parentPort } from "node:worker_threads";
import { createRowRedactor, type RedactOptions, type RowRedactor } from "./redact-transform";
import { createBinaryRowRedactor } from "./redact-binary";

export type WorkerRequest =
  | { type: "configure"; config: number; columns: RedactOptions["columns"]; rules: RedactOptions["rules"]; salt: Uint8Array; format: "text" | "binary" }
  | { type: "batch"; config: number; id: number; lines: Uint8Array; firstRow: number; end: boolean }
  | { type: "forget"; config: number };
export type BatchResult = { id: number; out: Uint8Array; rows: number } | { id: number; error: { name: string; message: string } };

const redactors = new Map<number, RowRedactor>();

parentPort!.on("message", (req: WorkerRequest) => {
  if (req.type === "configure") {
    // Binary batches are whole rows without the stream's header and trailer (the main thread's BinaryFramer keeps those).
    // The main thread compiled the same rules first, so this does not throw.
    redactors.set(req.config, (req.format === "binary" ? createBinaryRowRedactor : createRowRedactor)({ columns: req.columns, rules: req.rules, salt: Buffer.from(req.salt) }));
    return;
  }
  if (req.type === "forget") {
    redactors.delete(req.config);
    return;
  }
  let reply: BatchResult;
  try {
    const redactor = redactors.get(req.config);
    if (!redactor) throw new Error("A redaction batch arrived for a table this thread was not given.");
    redactor.rows = req.firstRow - 1;
    const lines = Buffer.from(req.lines.buffer, req.lines.byteOffset, req.lines.byteLength);
    const out = redactor.rewrite(lines, req.end);
    // Copied into a buffer of its own and transferred (a view of a larger or pooled buffer would
    // be copied whole, or detach memory this thread still uses).
    const own = new Uint8Array(out.length);
    own.set(out);
    parentPort!.postMessage({ id: req.id, out: own, rows: redactor.rows - (req.firstRow - 1) } satisfies BatchResult, [own.buffer]);
    return;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { id: req.id, error: { name: err.name, message: err.message } };
  }
  parentPort!.postMessage(reply);
});
