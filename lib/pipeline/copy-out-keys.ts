import type pg from "pg";

// One integer column of `COPY (...) TO STDOUT` (text format), read straight off the connection.
// PostgreSQL sends one CopyData message per row, and pg-copy-streams makes Buffers of each one:
// 2M keys cost 1.5-2 s of Node that way, while psql reads them in 0.7 s. This submittable takes the
// session's socket for the COPY, as pg-copy-streams does, and parses the digits where they lie,
// giving arrays of keys (one per socket chunk) with backpressure: the socket is not read while
// MAX_QUEUED arrays wait. At CopyDone, or at an ErrorResponse, it hands the rest of the bytes back
// to pg, which reads the CommandComplete or the error and the ReadyForQuery as usual.

export type Key = number | bigint;

const CODE = 0;
const LENGTH = 1;
const BODY = 2;
const COPY_DATA = 0x64; // d
const COPY_DONE = 0x63; // c
/** Messages that may come between CopyData messages; any other one ends copy-out mode. */
const INTERSPERSED = new Set([0x48 /* H CopyOutResponse */, 0x4e /* N */, 0x53 /* S */, 0x41 /* A */]);
const MAX_QUEUED = 4;
/** Up to 15 digits a double holds exactly; longer keys (beyond 2^53 possible) become BigInts. */
const EXACT_DIGITS = 15;

/** The copy-out protocol state over a byte stream (chunks cut anywhere); exported for tests. */
export class CopyOutKeyParser {
  private state = CODE;
  private code = 0;
  private lengthBytes = 0;
  private remaining = 0;
  private value = 0;
  private digits = 0;
  private negative = false;
  private longDigits = "";
  /** The code of the message that ended the COPY (CopyDone, or ErrorResponse), once it did. */
  ended: number | null = null;

  /**
   * Parses `chunk`, appending the keys of complete rows to `out`. Returns -1 while the COPY goes on,
   * else the offset of the first byte that is pg's again: after CopyDone, or at an ErrorResponse's code.
   */
  parse(chunk: Buffer, out: Key[]): number {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.state === CODE) {
        const code = chunk[i];
        if (code !== COPY_DATA && code !== COPY_DONE && !INTERSPERSED.has(code)) {
          this.ended = code;
          return i;
        }
        this.code = code;
        this.state = LENGTH;
        this.lengthBytes = 0;
        this.remaining = 0;
        i++;
      } else if (this.state === LENGTH) {
        this.remaining = this.remaining * 256 + chunk[i++];
        if (++this.lengthBytes === 4) {
          this.remaining -= 4;
          this.state = BODY;
          if (this.remaining === 0 && this.endOfMessage()) return i;
        }
      } else if (this.code !== COPY_DATA) {
        const take = Math.min(this.remaining, n - i);
        i += take;
        this.remaining -= take;
        if (this.remaining === 0 && this.endOfMessage()) return i;
      } else {
        const end = i + Math.min(this.remaining, n - i);
        this.remaining -= end - i;
        for (; i < end; i++) {
          const b = chunk[i];
          if (b >= 0x30 && b <= 0x39) {
            if (++this.digits <= EXACT_DIGITS) this.value = this.value * 10 + (b - 0x30);
            else this.longDigits += String.fromCharCode(b);
          } else if (b === 0x0a) {
            out.push(this.key());
          } else if (b === 0x2d && this.digits === 0 && !this.negative) {
            this.negative = true;
          } else {
            throw new Error("The key stream holds something other than one integer per row.");
          }
        }
        if (this.remaining === 0) this.state = CODE;
      }
    }
    return -1;
  }

  /** A message's body is read: true when it was CopyDone (the COPY is over). */
  private endOfMessage(): boolean {
    this.state = CODE;
    if (this.code !== COPY_DONE) return false;
    this.ended = COPY_DONE;
    return true;
  }

  private key(): Key {
    let k: Key;
    if (this.digits === 0) throw new Error("The key stream holds an empty key.");
    if (this.digits <= EXACT_DIGITS) k = this.negative ? -this.value : this.value;
    else {
      const big = BigInt(`${this.value}${this.longDigits}`);
      k = this.negative ? -big : big;
    }
    this.value = 0;
    this.digits = 0;
    this.negative = false;
    this.longDigits = "";
    return k;
  }
}

/** The session's net.Socket, as far as this uses it. */
type Socket = {
  read(): Buffer | null;
  pause(): void;
  resume(): void;
  listeners(event: "data"): ((b: Buffer) => void)[];
  on(event: string, fn: (...args: never[]) => void): void;
  removeListener(event: string, fn: (...args: never[]) => void): void;
};

/**
 * `client.query(new IntegerKeyCopy("COPY (SELECT k FROM t ORDER BY 1) TO STDOUT"))`, then `next()`
 * until done. A failed COPY rejects `next()` with pg's error; the session is usable afterwards.
 */
export class IntegerKeyCopy implements AsyncIterator<Key[]> {
  private socket: Socket | null = null;
  private pgDataHandler: ((b: Buffer) => void) | null = null;
  private parser = new CopyOutKeyParser();
  private queue: Key[][] = [];
  private done = false;
  private failed: { error: unknown } | null = null;
  private wake: (() => void) | null = null;
  private reading = false;

  constructor(readonly text: string) {}

  /** pg's Submittable: called when the query's turn comes on its session. */
  submit(connection: pg.Connection) {
    const socket = (connection as unknown as { stream: Socket }).stream;
    const handlers = socket.listeners("data");
    if (handlers.length !== 1) throw new Error("Unexpected connection state for a key COPY.");
    this.socket = socket;
    this.pgDataHandler = handlers[0];
    socket.removeListener("data", this.pgDataHandler);
    socket.pause();
    socket.on("readable", this.pump);
    connection.query(this.text);
  }

  handleError(err: unknown) {
    this.failed = { error: err };
    this.notify();
  }

  /** Stops reading (a cancelled run): `next()` rejects with `err`; the run closes the session. */
  cancel(err: unknown) {
    this.failed ??= { error: err };
    this.notify();
  }

  handleCommandComplete() {}

  handleReadyForQuery() {}

  async next(): Promise<IteratorResult<Key[]>> {
    for (;;) {
      if (this.queue.length) {
        const value = this.queue.shift()!;
        this.pump();
        return { done: false, value };
      }
      if (this.failed) throw this.failed.error;
      if (this.done) return { done: true, value: undefined };
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }

  private notify() {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private pump = () => {
    if (this.reading || !this.socket || this.parser.ended !== null || this.failed) return;
    this.reading = true;
    try {
      let chunk: Buffer | null;
      while (this.queue.length < MAX_QUEUED && this.parser.ended === null && (chunk = this.socket.read()) !== null) this.consume(chunk);
    } finally {
      this.reading = false;
    }
  };

  private consume(chunk: Buffer) {
    const keys: Key[] = [];
    let end: number;
    try {
      end = this.parser.parse(chunk, keys);
    } catch (err) {
      // The session is left mid-COPY: the run fails and closes it.
      this.failed = { error: err };
      this.notify();
      return;
    }
    if (keys.length) this.queue.push(keys);
    if (end >= 0) {
      if (this.parser.ended === COPY_DONE) this.done = true;
      // An error's message (or whatever ended the COPY) is pg's to read: it calls handleError.
      this.detach(chunk.subarray(end));
    }
    this.notify();
  }

  private detach(rest: Buffer) {
    const socket = this.socket!;
    const handler = this.pgDataHandler!;
    socket.removeListener("readable", this.pump);
    socket.on("data", handler);
    if (rest.length) handler(rest);
    // As pg-copy-streams does: flowing again once this tick's handlers are done.
    process.nextTick(() => socket.resume());
  }
}
