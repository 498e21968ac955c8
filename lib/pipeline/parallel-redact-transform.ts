// The redaction transform on worker threads, so that one large redacted table is not bound by one
// JavaScript thread (issue 14). Same input and output as createRedactTransform, byte for byte:
// - the main thread only cuts the stream into batches of whole rows (~256 KiB) and counts their
//   rows (so each worker numbers rows, in its error messages, as one thread would);
// - batches go to the least busy of the stream's `threads` workers, and their results are pushed
//   strictly in batch order. The workers are plain worker_threads from a small pool of this
//   process (below), warm across tables and runs, each given the table's rules once per stream
//   (a pool package such as piscina would add a dependency and nothing that this needs);
// - backpressure: a write is accepted only while fewer than 2 batches per worker are in flight and
//   the reader has taken what was pushed (readable side below its high-water mark); otherwise
//   its callback waits for a result or for the reader's next read. Memory stays bounded at about
//   (2 x threads + 2) batches plus the stream buffers.
// Shuffled columns need consecutive rows in one window, so a table with a shuffle rule (or
// threads <= 1) gets the single-threaded transform.
// Both COPY formats, through their RowFramer: text (batches cut at newlines) and binary (redact-binary.ts; BinaryFramer
// cuts whole rows by their lengths, the header is pushed at once and the trailer after the last
// batch; the workers rewrite rows only).

import { Duplex } from "node:stream";
import { Worker } from "node:worker_threads";
import { CopyFormatError, NEWLINE } from "./copy-text";
import { RedactionError } from "@/lib/redaction/catalogue";
import { abortError, createRedactTransform, createRowRedactor, onAbort, textFramer, type RedactOptions, type RedactStats } from "./redact-transform";
import { binaryFramer, createBinaryRedactTransform, createBinaryRowRedactor } from "./redact-binary";
import type { BatchResult, WorkerRequest } from "./redact-worker";

export const BATCH_BYTES = 256 * 1024;
const IN_FLIGHT_PER_WORKER = 2;
const WORKER_ENTRY = new URL("./redact-worker.mjs", import.meta.url);

/**
 * The process's redaction threads, kept between tables and runs so that each starts once and its
 * JIT stays warm (a fresh thread per table paid its start and warm-up on every table: 2 threads on
 * 20k rows ran at a fifth of one thread's speed). A stream takes threads for itself and gives them
 * back at its end; a thread idle for IDLE_MS stops. A stream that fails or is cancelled stops its
 * threads (a batch may still be running in them); the pool starts new ones when asked.
 */
type PoolThread = { worker: Worker; owner: ((res: BatchResult) => void) | null; onFail: ((err: Error) => void) | null; idle: NodeJS.Timeout | null };
const IDLE_MS = 60_000;
const pool: PoolThread[] = [];
let nextConfig = 1;

/** Threads in the pool: idle ones and those streams hold (for tests and logs). */
export function redactionPoolSize(): { idle: number; busy: number } {
  const idle = pool.filter((t) => t.owner === null).length;
  return { idle, busy: pool.length - idle };
}

function takeThreads(n: number): PoolThread[] {
  const taken: PoolThread[] = [];
  for (const t of pool) {
    if (taken.length === n) break;
    if (t.owner === null) taken.push(t);
  }
  while (taken.length < n) {
    const worker = new Worker(WORKER_ENTRY, { execArgv: [] });
    worker.unref(); // an idle pool does not keep the process alive
    const t: PoolThread = { worker, owner: null, onFail: null, idle: null };
    worker.on("message", (res: BatchResult) => t.owner?.(res));
    worker.on("error", (err) => t.onFail?.(err));
    worker.on("exit", (code) => {
      dropThread(t);
      t.onFail?.(new Error(`A redaction worker thread stopped (exit code ${code}).`));
    });
    pool.push(t);
    taken.push(t);
  }
  for (const t of taken) {
    if (t.idle) clearTimeout(t.idle);
    t.idle = null;
  }
  return taken;
}

/** Out of the pool at once (its exit comes later): no other stream may take a thread being stopped. */
function dropThread(t: PoolThread) {
  const i = pool.indexOf(t);
  if (i !== -1) pool.splice(i, 1);
}

function giveBack(t: PoolThread) {
  t.owner = null;
  t.onFail = null;
  t.idle = setTimeout(() => {
    dropThread(t);
    void t.worker.terminate();
  }, IDLE_MS);
  t.idle.unref();
}

type Slot = { thread: PoolThread; busy: number };
type Callback = (error?: Error | null) => void;
/** A Transform-like stream (COPY text in, redacted COPY text out) with the transform's stats. */
export type RedactStream = Duplex & { stats(): RedactStats };

export type CopyFormat = "text" | "binary";

export function createParallelRedactTransform(opts: RedactOptions & { threads: number; format?: CopyFormat; signal?: AbortSignal }): RedactStream {
  const { columns, rules, salt, signal, threads } = opts;
  const format = opts.format ?? "text";
  // Compiles (and validates) on this thread first: a rule that does not fit fails here, as it does single-threaded.
  const probe = format === "binary" ? createBinaryRowRedactor({ columns, rules, salt }) : createRowRedactor({ columns, rules, salt });
  if (threads <= 1 || probe.shuffles || Object.keys(rules).length === 0) return format === "binary" ? createBinaryRedactTransform(opts) : createRedactTransform(opts);

  const stats: RedactStats = { rows: 0, bytesIn: 0, bytesOut: 0 };
  const framer = format === "binary" ? binaryFramer(columns.length) : textFramer();
  let trailer: Buffer | null = null; // binary: pushed after the last batch's rows
  let pendingRows = 0; // rows in `pending`
  const slots: Slot[] = [];
  const done = new Map<number, Buffer>();
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let nextId = 0; // next batch to send
  let nextOut = 0; // next batch to push
  let rowsSent = 0;
  let inFlight = 0;
  let waiting: Callback | null = null; // a write callback held until there is room
  let flushing: Callback | null = null; // the final callback, held until the last result is pushed
  let failed = false;
  let stopped = false;
  const config = nextConfig++;
  /** Ends this stream's use of its threads: given back after a clean end, stopped otherwise (a batch may still run). */
  const stop = (clean = false) => {
    if (stopped) return;
    stopped = true;
    for (const s of slots) {
      if (clean && s.busy === 0) {
        s.thread.worker.postMessage({ type: "forget", config } satisfies WorkerRequest);
        giveBack(s.thread);
      } else {
        s.thread.owner = s.thread.onFail = null;
        dropThread(s.thread);
        void s.thread.worker.terminate();
      }
    }
  };

  const fail = (err: Error) => {
    if (failed) return;
    failed = true;
    const cb = waiting ?? flushing;
    waiting = flushing = null;
    if (cb) cb(err);
    else transform.destroy(err);
  };

  const onResult = (slot: Slot, res: BatchResult) => {
    slot.busy--;
    inFlight--;
    if (failed) return;
    if ("error" in res) return fail(rebuild(res.error));
    stats.rows += res.rows;
    done.set(res.id, Buffer.from(res.out.buffer, res.out.byteOffset, res.out.byteLength));
    while (done.has(nextOut)) {
      const out = done.get(nextOut)!;
      done.delete(nextOut++);
      stats.bytesOut += out.length;
      if (out.length > 0) transform.push(out);
    }
    release();
    if (flushing && inFlight === 0) {
      const cb = flushing;
      flushing = null;
      if (trailer) {
        stats.bytesOut += trailer.length;
        transform.push(trailer);
      }
      transform.push(null);
      cb();
    }
  };

  /** Accepts the next write when a worker slot is free and the reader has taken what was pushed. */
  const hasRoom = () => inFlight < threads * IN_FLIGHT_PER_WORKER && transform.readableLength < transform.readableHighWaterMark;
  /** fromRead: the reader asks for more (its buffer may still count the chunk it is taking). */
  const release = (fromRead = false) => {
    if (waiting && (fromRead ? inFlight < threads * IN_FLIGHT_PER_WORKER : hasRoom())) {
      const cb = waiting;
      waiting = null;
      cb();
    }
  };
  const leastBusy = () => slots.reduce((a, b) => (b.busy < a.busy ? b : a));

  const send = (end: boolean) => {
    if (pendingBytes === 0 && !end) return;
    // A fresh buffer of its own, transferred: posting a view would copy its whole backing store
    // (a socket's slab, or a test's single big buffer) to the worker.
    const lines = new Uint8Array(pendingBytes);
    let at = 0;
    for (const piece of pending) {
      lines.set(piece, at);
      at += piece.length;
    }
    pending = [];
    pendingBytes = 0;
    const req: WorkerRequest = { type: "batch", config, id: nextId++, lines, firstRow: rowsSent + 1, end };
    rowsSent += pendingRows;
    pendingRows = 0;
    const slot = leastBusy();
    slot.busy++;
    inFlight++;
    slot.thread.worker.postMessage(req, [lines.buffer]);
  };

  // A Duplex rather than a Transform: results are pushed when workers answer, and the reader's
  // demand (read) has to be able to release a held write, which Transform does not allow.
  const transform = new Duplex({
    write(chunk: Buffer, _enc, callback: Callback) {
      if (signal?.aborted) return callback(abortError(signal));
      stats.bytesIn += chunk.length;
      let frame;
      try {
        frame = framer.push(chunk);
      } catch (e) {
        return callback(e as Error);
      }
      // Results are pushed only when workers answer, so a header pushed now comes first.
      if (frame.head) {
        stats.bytesOut += frame.head.length;
        transform.push(Buffer.from(frame.head));
      }
      if (frame.tail) trailer = Buffer.from(frame.tail);
      const lines = frame.rows;
      if (lines !== null) {
        pendingRows += frame.count ?? rowCount(lines);
        pending.push(lines);
        pendingBytes += lines.length;
        if (pendingBytes >= BATCH_BYTES) send(false);
      }
      if (hasRoom()) callback();
      else waiting = callback;
    },
    final(callback: Callback) {
      let rest: Buffer | null;
      try {
        rest = framer.end();
      } catch (e) {
        stop();
        return callback(e as Error);
      }
      if (rest) {
        pending.push(rest);
        pendingBytes += rest.length;
      }
      flushing = callback;
      send(true);
    },
    read() {
      release(true);
    },
    destroy(err, callback) {
      stop();
      callback(err);
    },
  }) as RedactStream;
  transform.once("end", () => stop(true));
  // Taken (or started: ~0.6 CPU-s each through tsx, ~30 ms from the worker build) now, so that a start overlaps the source's first bytes.
  for (const thread of takeThreads(threads)) {
    const slot: Slot = { thread, busy: 0 };
    thread.owner = (res) => onResult(slot, res);
    thread.onFail = fail;
    thread.worker.postMessage({ type: "configure", config, columns, rules, salt: new Uint8Array(salt), format } satisfies WorkerRequest);
    slots.push(slot);
  }
  transform.stats = () => ({ ...stats });
  onAbort(transform, signal);
  return transform;
}

function rowCount(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/** The worker's error as the error class the single-threaded transform throws (callers look at its name). */
function rebuild(e: { name: string; message: string }): Error {
  if (e.name === "RedactionError") return new RedactionError(e.message);
  if (e.name === "CopyFormatError") return new CopyFormatError(e.message);
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}
