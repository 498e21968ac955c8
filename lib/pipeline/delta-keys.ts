import type { Readable } from "node:stream";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { fromItem, type CatalogColumn } from "./catalog";
import { qi } from "./connect";
import { classifyPgError } from "./errors";
import type { CopyUnit } from "./plan";

// Deletes of a delta run, the fast way: for a table whose key is one integer column without a
// rule (the twin's key is then the source's), both sides' keys are read in key order (index
// scans: the source on the run's snapshot, the twin before the apply transaction, which only this
// run writes under the target lock) and merged here; the twin keys the source no longer has are
// deleted by value. Other keys are compared in the target (COPY-loaded keys, anti-join).

const INTEGER_KEYS = new Set(["int2", "int4", "int8"]);

/** The key column when the fast comparison applies to the unit, else null. */
export function mergeableKey(unit: CopyUnit, key: CatalogColumn[]): CatalogColumn | null {
  if (key.length !== 1 || unit.rules[key[0].name] || !INTEGER_KEYS.has(key[0].baseType)) return null;
  return key[0];
}

type Key = number | bigint;

/** A COPY text stream of one integer column as successive arrays of keys (a line split across chunks is carried over). */
export function keyBatches(stream: Readable): AsyncIterator<Key[]> {
  const chunks = stream[Symbol.asyncIterator]();
  let carry = "";
  return {
    async next() {
      for (;;) {
        const r = await chunks.next();
        if (r.done) {
          const last = carry ? [parseKey(carry)] : [];
          carry = "";
          return last.length ? { done: false, value: last } : { done: true, value: undefined };
        }
        const lines = (carry + (r.value as Buffer).toString("latin1")).split("\n");
        carry = lines.pop()!;
        if (lines.length) return { done: false, value: lines.map(parseKey) };
      }
    },
  };
}

const parseKey = (s: string): Key => (s.length <= 15 ? Number(s) : BigInt(s));

/** Reads the source's and the twin's keys in order and returns the twin keys the source does not have (as text). */
export async function goneKeys(o: { reader: pg.Client; writer: pg.Client; unit: CopyUnit; key: CatalogColumn; signal: AbortSignal }): Promise<string[]> {
  const k = qi(o.key.name);
  const source = o.reader.query(copyTo(`COPY (SELECT t0.${k} FROM ${fromItem(o.unit.table)} t0 ORDER BY 1) TO STDOUT`));
  const twin = o.writer.query(copyTo(`COPY (SELECT t0.${k} FROM ${fromItem(o.unit.table)} t0 ORDER BY 1) TO STDOUT`));
  const what = `${o.unit.table.schema}.${o.unit.table.name}`;
  const failed = { source: null as unknown, twin: null as unknown };
  source.once("error", (e) => { failed.source = e; });
  twin.once("error", (e) => { failed.twin = e; });
  const stop = () => { source.destroy(); twin.destroy(); };
  o.signal.addEventListener("abort", stop, { once: true });
  try {
    return await goneFrom(keyBatches(source), keyBatches(twin));
  } catch (err) {
    stop();
    if (failed.source) throw classifyPgError(failed.source, "source", `reading the keys of ${what}`);
    throw classifyPgError(failed.twin ?? err, "target", `reading the twin's keys of ${what}`);
  } finally {
    o.signal.removeEventListener("abort", stop);
  }
}

/** The keys of `twin` that `source` lacks, both ascending; reads `source` to its end (its session serves the run's next reads). */
export async function goneFrom(source: AsyncIterator<Key[]>, twin: AsyncIterator<Key[]>): Promise<string[]> {
  const gone: string[] = [];
  let a: Key[] = [];
  let i = 0;
  let srcDone = false;
  for (let b = await twin.next(); !b.done; b = await twin.next()) {
    for (const key of b.value) {
      // Advance the source past keys below this twin key (new rows, upserted by this run).
      for (;;) {
        if (i === a.length && !srcDone) {
          const n = await source.next();
          if (n.done) srcDone = true;
          else { a = n.value; i = 0; }
        }
        if (i === a.length || a[i] >= key) break;
        i++;
      }
      if (i === a.length || a[i] > key) gone.push(String(key));
    }
  }
  while (!srcDone) srcDone = !!(await source.next()).done;
  return gone;
}
