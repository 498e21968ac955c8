import { availableParallelism } from "node:os";
import type { Readable, Writable } from "node:stream";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { qi } from "./connect";
import { NEWLINE } from "./copy-text";
import { classifyPgError, EngineError } from "./errors";
import type { CopyUnit } from "./plan";
import { loadsAsText, toColumnMeta } from "./catalog";
import { createRedactTransform } from "./redact-transform";
import { binaryRedactable, createBinaryRedactTransform } from "./redact-binary";
import { createParallelRedactTransform } from "./parallel-redact-transform";

// One table's data path: source `COPY (SELECT ...) TO STDOUT` -> row counter -> redaction ->
// a sink (the staged table's `COPY ... FROM STDIN`, or the S3 CSV writer), with backpressure
// end to end and the run's AbortSignal. Into a plain table the load runs as
// `TRUNCATE; COPY ... FREEZE` in one transaction: rows are written frozen, so the index builds
// and the first readers after the swap do not rewrite every page to set hint bits.

export type CopyCounters = { rows: number; bytes: number };

/**
 * Counts rows (raw newlines: COPY escapes newlines inside values) and bytes of the source stream;
 * bytes only for binary COPY (`rows: false`), which has no row ends to count.
 */
export function createCounter(onChunk: (c: CopyCounters) => void, rows = true): Transform & { counters: CopyCounters } {
  const counters: CopyCounters = { rows: 0, bytes: 0 };
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      let n = 0;
      if (rows) for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) n++;
      counters.rows += n;
      counters.bytes += chunk.length;
      onChunk(counters);
      cb(null, chunk);
    },
  });
  return Object.assign(t, { counters });
}

type Stage = Readable | Writable | Transform;


/** Runs a pipeline and tells which side failed first, so that errors are classified correctly. */
async function runPipeline(stages: { stream: Stage; side: "source" | "target" | "transform" | "s3" }[], signal: AbortSignal, what: string): Promise<void> {
  let first: { side: string; err: unknown } | null = null;
  for (const s of stages) s.stream.once("error", (err) => { first ??= { side: s.side, err }; });
  try {
    await pipeline(stages.map((s) => s.stream) as unknown as [Readable, Writable], { signal });
  } catch (err) {
    if (signal.aborted) throw new EngineError("CANCELED", "The run was cancelled.", "", { cause: err });
    const culprit: { side: string; err: unknown } = first ?? { side: "target", err };
    if (culprit.err instanceof EngineError) throw culprit.err;
    if (culprit.side === "source") throw classifyPgError(culprit.err, "source", `reading ${what}`);
    if (culprit.side === "target") throw classifyPgError(culprit.err, "target", `loading ${what}`);
    if (culprit.side === "s3") throw culprit.err;
    const e = culprit.err as Error;
    throw new EngineError("INTERNAL", `Redacting ${what} failed: ${e.name === "RedactionError" || e.name === "CopyFormatError" ? e.message : "unexpected error"}.`,
      "Check the rules of this table; if it keeps failing, contact support with the job id.", { cause: err });
  }
}

/**
 * Binary COPY costs both servers less work than text (the target's COPY parsing is most of a
 * clone's CPU), but its arrays and composites carry type OIDs, which differ between servers for
 * user-defined types. So it is used where every column is a built-in type other than the reg*
 * types (regclass, regtype...: OIDs in binary), between servers of the same major version, and the
 * table's rules can run on binary rows (binaryRedactable: text and integer columns, or rules that
 * never read the value); otherwise text. DOPPEL_TEXT_COPY=1 turns it off (for comparisons).
 */
export function canCopyBinary(unit: CopyUnit, sameMajor: boolean): boolean {
  if (!sameMajor || process.env.DOPPEL_TEXT_COPY === "1") return false;
  // reg* values are OIDs in binary (the source's numbers); they are staged as text (catalog.ts).
  if (!unit.columns.every((c) => c.typeSchema === "pg_catalog" && c.category !== "C" && !loadsAsText(c))) return false;
  return binaryRedactable(unit.columns.map(toColumnMeta), unit.rules);
}

/** Rows from which a redacted table is worth worker threads (each costs a thread start and its heap). */
const THREADED_ROWS = 200_000;
const MAX_REDACTION_THREADS = 4;

/**
 * How many threads rewrite one redacted table (parallel-redact-transform.ts): on a worker machine
 * with cores to spare beyond the run's `parallelism` concurrent copies, a large table is no longer
 * bound by one JavaScript thread — floor(cores / parallelism), at most 4, for tables of at least
 * THREADED_ROWS estimated rows; otherwise 1 (the main thread). On a 2-core machine with the
 * default parallelism of 2 that is always 1: the two copies already keep both cores busy.
 * DOPPEL_REDACT_THREADS overrides it (tests, and operators who know their machine).
 */
export function redactionThreads(unit: CopyUnit, parallelism: number, cores = availableParallelism()): number {
  if (!Object.keys(unit.rules).length) return 1;
  const forced = Number(process.env.DOPPEL_REDACT_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return Math.min(forced, MAX_REDACTION_THREADS);
  if ((unit.table.rowsEstimate ?? 0) < THREADED_ROWS) return 1;
  const spare = Math.min(MAX_REDACTION_THREADS, Math.floor(cores / Math.max(1, parallelism)));
  return spare >= 2 ? spare : 1;
}

export function sourceStages(reader: pg.Client, unit: CopyUnit, salt: Buffer, signal: AbortSignal, onChunk: (c: CopyCounters) => void, binary = false, threads = 1) {
  const source = reader.query(copyTo(binary ? unit.copyQuery.replace(/ TO STDOUT$/, " TO STDOUT WITH (FORMAT binary)") : unit.copyQuery));
  // Binary rows have no line ends to count: progress then estimates rows from bytes.
  const bytesPerRow = unit.table.rowsEstimate ? Math.max(1, unit.table.bytes / unit.table.rowsEstimate / 1.3) : 100;
  const counter = createCounter(binary ? (c) => onChunk({ rows: Math.round(c.bytes / bytesPerRow), bytes: c.bytes }) : onChunk, !binary);
  const stages: { stream: Stage; side: "source" | "transform" }[] = [{ stream: source, side: "source" }, { stream: counter, side: "transform" }];
  if (Object.keys(unit.rules).length) {
    const opts = { columns: unit.columns.map(toColumnMeta), rules: unit.rules, salt, signal };
    const format = binary ? "binary" : "text";
    const transform = threads > 1 ? createParallelRedactTransform({ ...opts, threads, format }) : binary ? createBinaryRedactTransform(opts) : createRedactTransform(opts);
    stages.push({ stream: transform, side: "transform" });
  }
  return { stages, counter };
}

export async function copyUnitToTarget(opts: {
  reader: pg.Client; writer: pg.Client; unit: CopyUnit; stagedName: string; salt: Buffer; signal: AbortSignal; onChunk: (c: CopyCounters) => void; binary: boolean;
  /** Redaction threads (redactionThreads); 1 by default. */
  threads?: number;
}): Promise<{ rowsRead: number; rowsWritten: number; bytes: number }> {
  const { reader, writer, unit, stagedName, salt, signal, binary } = opts;
  const what = `${unit.table.schema}.${unit.table.name}`;
  const freeze = unit.table.kind === "r";
  const cols = unit.columns.map((c) => qi(c.name)).join(", ");
  try {
    // ONLY: an inheritance parent's TRUNCATE would empty its already loaded children.
    await writer.query(freeze ? `BEGIN; TRUNCATE ONLY ${stagedName}` : "BEGIN");
  } catch (err) {
    throw classifyPgError(err, "target", `preparing ${what}`);
  }
  const { stages, counter } = sourceStages(reader, unit, salt, signal, opts.onChunk, binary, opts.threads);
  const options = [freeze && "FREEZE", binary && "FORMAT binary"].filter(Boolean).join(", ");
  // A table without columns has rows all the same (empty lines); COPY takes no empty column list.
  const sink = writer.query(copyFrom(`COPY ${stagedName}${cols ? ` (${cols})` : ""} FROM STDIN${options ? ` WITH (${options})` : ""}`));
  try {
    await runPipeline([...stages, { stream: sink, side: "target" }], signal, what);
    await writer.query("COMMIT");
  } catch (err) {
    await writer.query("ROLLBACK").catch(() => {});
    throw err instanceof EngineError ? err : classifyPgError(err, "target", `loading ${what}`);
  }
  return { rowsRead: binary ? sink.rowCount : counter.counters.rows, rowsWritten: sink.rowCount, bytes: counter.counters.bytes };
}

export { runPipeline };
