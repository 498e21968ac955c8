// A redaction worker thread: compiles the table's rules once (workerData) and rewrites the
// batches of whole COPY rows (text or binary) it is sent, each numbered from the row the main thread gives,
// so error messages name the same row as the single-threaded transform would.

import { parentPort, workerData } from "node:worker_threads";
import { createRowRedactor, type RedactOptions } from "./redact-transform";
import { createBinaryRowRedactor } from "./redact-binary";

export type BatchRequest = { id: number; lines: Uint8Array; firstRow: number; end: boolean };
export type BatchResult = { id: number; out: Uint8Array; rows: number } | { id: number; error: { name: string; message: string } };

const { columns, rules, salt, format } = workerData as { columns: RedactOptions["columns"]; rules: RedactOptions["rules"]; salt: Uint8Array; format: "text" | "binary" };
// Binary batches are whole rows without the stream's header and trailer (the main thread's BinaryFramer keeps those).
const redactor = (format === "binary" ? createBinaryRowRedactor : createRowRedactor)({ columns, rules, salt: Buffer.from(salt) });

parentPort!.on("message", (req: BatchRequest) => {
  let reply: BatchResult;
  try {
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
