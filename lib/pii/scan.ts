import type pg from "pg";
import { closeSession, openSession, qi, qname } from "../pipeline/connect";
import { EngineError, classifyPgError } from "../pipeline/errors";
import type { ColumnMeta } from "../redaction/column-meta";
import type { TPgConnection } from "../schemas/connection";
import { classifyColumn, typeFamily, type TypeFamily } from "./classify";
import { suggestRule } from "./suggest";
import type { PiiScanProgress, TPiiColumnResult, TPiiScanResult, TPiiTableResult } from "./types";

// The `pii_scan` job: one read-only session on the source (default_transaction_read_only and a
// REPEATABLE READ READ ONLY transaction), a few hundred values per candidate column, sampled
// cheaply (TABLESAMPLE SYSTEM on big tables, else the first rows), classified in memory.
// Raw values never leave this module: the result holds masked examples only, and errors name
// tables and columns, never contents.

export type PiiScanOptions = {
  /** Non-null values sampled per column (default 200). */
  sampleSize?: number;
  /** Limit the scan to these schemas (default: every non-system schema). */
  schemas?: string[];
  signal?: AbortSignal;
  onProgress?: (p: PiiScanProgress) => void;
  /** Per sampling statement (default 15 s); a table that takes longer is skipped and reported. */
  statementTimeoutMs?: number;
  /** Wait at most this long for a table another session has locked (default 5 s), then skip it. */
  lockTimeoutMs?: number;
  /** Only these tables (default: every table of the chosen schemas). */
  tables?: { schema: string; table: string }[];
  /** Sample no new table after this long (ms); the tables left are reported as skipped. */
  budgetMs?: number;
};

type CatalogColumn = ColumnMeta & {
  schema: string;
  table: string;
  reltuples: number;
  readable: boolean;
  family: TypeFamily;
  /** An array of text: sampled as JSON arrays and classified element by element. */
  isArray: boolean;
};

const TEXT_CUT = 2000;
const JSON_CUT = 20000;

// Candidate columns: ordinary and partitioned tables and materialised views (not partitions:
// their parent's sample covers them; not tables owned by extensions), domains resolved to
// their base type; arrays of text are sampled element by element.
const COLUMNS_SQL = `
SELECT n.nspname AS schema, c.relname AS table,
       -- A partitioned table's own estimate stays unset unless it is analysed itself: add its leaves'.
       CASE WHEN c.relkind = 'p' THEN (SELECT COALESCE(sum(GREATEST(pc.reltuples, 0)), 0) FROM pg_partition_tree(c.oid) pt
                                       JOIN pg_class pc ON pc.oid = pt.relid WHERE pt.isleaf)
            ELSE c.reltuples END::float8 AS reltuples,
       a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type_name,
       bt.typname AS base_type, bt.typcategory AS category, a.attnotnull AS not_null,
       et.typname AS element_type, et.typcategory AS element_category,
       CASE WHEN bt.typname IN ('varchar', 'bpchar', '_varchar', '_bpchar') AND COALESCE(NULLIF(a.atttypmod, -1), NULLIF(t.typtypmod, -1)) IS NOT NULL
            THEN COALESCE(NULLIF(a.atttypmod, -1), NULLIF(t.typtypmod, -1)) - 4 END AS max_length,
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique AND i.indnatts = 1
               AND i.indkey[0] = a.attnum AND i.indpred IS NULL) AS is_unique,
       has_column_privilege(c.oid, a.attnum, 'SELECT') AS readable
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
LEFT JOIN pg_type et ON bt.typcategory = 'A' AND et.oid = bt.typelem
WHERE c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition
  AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
ORDER BY n.nspname, c.relname, a.attnum`;

type ColumnRow = {
  schema: string; table: string; reltuples: number; name: string; type_name: string; base_type: string;
  category: string; not_null: boolean; max_length: number | null; is_unique: boolean; readable: boolean;
  element_type: string | null; element_category: string | null;
};

/** Opens the scanner's session: read-only by default and inside a read-only snapshot. */
export async function openScanSession(conn: TPgConnection, opts: { statementTimeoutMs?: number; lockTimeoutMs?: number } = {}): Promise<pg.Client> {
  const client = await openSession(conn, "source");
  const ms = (v: number | undefined, d: number) => Math.max(1, Math.floor(v ?? d));
  try {
    await client.query(`SET statement_timeout = ${ms(opts.statementTimeoutMs, 15_000)}; SET lock_timeout = ${ms(opts.lockTimeoutMs, 5_000)}; SET idle_in_transaction_session_timeout = '10min'`);
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return client;
  } catch (err) {
    await closeSession(client);
    throw classifyPgError(err, "source", "starting the scan");
  }
}

export async function listCandidateColumns(client: pg.Client, schemas?: string[]): Promise<CatalogColumn[]> {
  const { rows } = await client.query<ColumnRow>(COLUMNS_SQL, [schemas?.length ? schemas : null]);
  const out: CatalogColumn[] = [];
  for (const r of rows) {
    const isArray = r.category === "A" && !!r.element_type;
    const family = isArray ? (typeFamily(r.element_type!, r.element_category ?? "") === "text" ? "text" : null) : typeFamily(r.base_type, r.category);
    if (!family) continue;
    const col: CatalogColumn = {
      schema: r.schema, table: r.table, reltuples: r.reltuples, readable: r.readable, family, isArray,
      name: r.name, typeName: r.type_name, baseType: r.base_type, category: r.category,
      ...(isArray ? { elementType: r.element_type!, elementCategory: r.element_category ?? "" } : {}),
      maxLength: r.max_length, notNull: r.not_null, unique: r.is_unique,
    };
    // Numbers, dates and uuids only carry personal data when their name says so (an order id
    // is not an SSN, a created_at is not a birth date): do not even sample the others.
    if (family !== "text" && family !== "json" && !classifyColumn({ column: r.name, table: r.table, baseType: r.base_type, typeCategory: r.category, values: [] }).best) continue;
    out.push(col);
  }
  return out;
}

function samplingSql(cols: CatalogColumn[], sampleSize: number, samplePercent: number | null, only?: CatalogColumn): string {
  const { schema, table } = cols[0];
  const expr = (c: CatalogColumn) => c.isArray ? `left(array_to_json(${qi(c.name)})::text, ${JSON_CUT})` : `left(${qi(c.name)}::text, ${c.family === "json" ? JSON_CUT : TEXT_CUT})`;
  const list = only ? [only] : cols;
  const select = list.map((c, i) => `${expr(c)} AS c${i}`).join(", ");
  const where = list.map((c) => `${qi(c.name)} IS NOT NULL`).join(" OR ");
  const sample = samplePercent === null ? "" : ` TABLESAMPLE SYSTEM (${samplePercent.toFixed(4)})`;
  return `SELECT ${select} FROM ${qname(schema, table)}${sample} WHERE ${where} LIMIT ${sampleSize}`;
}

/** Runs one sampling statement inside a savepoint so that a timeout skips the table, not the scan. */
async function sampleQuery(client: pg.Client, sql: string): Promise<string[][]> {
  await client.query("SAVEPOINT pii_sample");
  try {
    const res = await client.query({ text: sql, rowMode: "array" });
    await client.query("RELEASE SAVEPOINT pii_sample");
    return res.rows as string[][];
  } catch (err) {
    await client.query("ROLLBACK TO SAVEPOINT pii_sample").catch(() => {});
    throw err;
  }
}

/** Up to `sampleSize` non-null values per column of one table. */
export async function sampleTable(client: pg.Client, cols: CatalogColumn[], sampleSize: number): Promise<string[][]> {
  const reltuples = cols[0].reltuples;
  const big = reltuples > sampleSize * 50;
  let rows: string[][] = [];
  if (big) rows = await sampleQuery(client, samplingSql(cols, sampleSize, Math.min(100, Math.max(0.01, (100 * sampleSize * 10) / reltuples))));
  if (rows.length < sampleSize) rows = await sampleQuery(client, samplingSql(cols, sampleSize, null));
  const values = cols.map((_c, i) => rows.map((r) => r[i]).filter((v): v is string => v !== null));
  // Sparse columns: fetch their own non-null values when the shared rows held too few.
  if (rows.length >= sampleSize) {
    for (let i = 0; i < cols.length; i++) {
      if (values[i].length >= Math.min(sampleSize, 20)) continue;
      try {
        const own = await sampleQuery(client, samplingSql(cols, sampleSize, null, cols[i]));
        values[i] = own.map((r) => r[0]).filter((v): v is string => v !== null);
      } catch (err) {
        // A very sparse column of a huge table: keep the few values the shared sample found.
        if ((err as { code?: string })?.code !== "57014") throw err;
      }
    }
  }
  return values.map((v, i) => (cols[i].isArray ? arrayElements(v, sampleSize) : v));
}

/** The text elements of sampled arrays (as JSON; documents cut short by the sampler are dropped). */
function arrayElements(arrays: string[], max: number): string[] {
  const out: string[] = [];
  for (const a of arrays) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(a);
    } catch {
      continue;
    }
    for (const e of [parsed].flat(8)) {
      if (typeof e === "string" && out.length < max) out.push(e);
    }
  }
  return out;
}

export async function runPiiScan(conn: TPgConnection, opts: PiiScanOptions = {}): Promise<TPiiScanResult> {
  const started = Date.now();
  const sampleSize = Math.max(1, Math.min(10_000, Math.floor(opts.sampleSize ?? 200)));
  const { signal } = opts;
  if (signal?.aborted) throw new EngineError("CANCELED", "The scan was cancelled.");
  const client = await openScanSession(conn, opts);
  // Cancelling closes the connection: the running statement ends at once on the server.
  const onAbort = () => void closeSession(client);
  signal?.addEventListener("abort", onAbort, { once: true });
  let context = "listing columns";
  try {
    const only = opts.tables && new Set(opts.tables.map((t) => JSON.stringify([t.schema, t.table])));
    const columns = (await listCandidateColumns(client, opts.schemas ?? (opts.tables && [...new Set(opts.tables.map((t) => t.schema))]))).filter((c) => !only || only.has(JSON.stringify([c.schema, c.table])));
    const byTable = new Map<string, CatalogColumn[]>();
    for (const c of columns) {
      const key = JSON.stringify([c.schema, c.table]);
      byTable.set(key, [...(byTable.get(key) ?? []), c]);
    }
    const tables: TPiiTableResult[] = [];
    const skipped: TPiiScanResult["skipped"] = [];
    let done = 0;
    let columnsScanned = 0;
    for (const cols of byTable.values()) {
      if (signal?.aborted) break;
      const { schema, table, reltuples } = cols[0];
      if (opts.budgetMs !== undefined && Date.now() - started > opts.budgetMs) {
        skipped.push({ schema, table, reason: "The scan's time was up before this table was sampled." });
        done++;
        continue;
      }
      opts.onProgress?.({ tablesDone: done, tablesTotal: byTable.size, schema, table });
      context = `sampling table ${schema}.${table}`;
      const readable = cols.filter((c) => c.readable);
      if (!readable.length) skipped.push({ schema, table, reason: "The connection's user may not read this table (no SELECT permission)." });
      else {
        for (const c of cols.filter((x) => !x.readable)) {
          skipped.push({ schema, table, column: c.name, reason: "The connection's user may not read this column (no SELECT permission)." });
        }
      }
      let values: string[][] = [];
      if (readable.length) {
        try {
          values = await sampleTable(client, readable, sampleSize);
        } catch (err) {
          if (signal?.aborted) break;
          // A lost connection ends the scan; a statement error (timeout, lock, permission) skips the table.
          if (!/^[0-9A-Z]{5}$/.test((err as { code?: string })?.code ?? "")) throw err;
          skipped.push({ schema, table, reason: skipReason(err) });
          done++;
          continue;
        }
      }
      const flagged: TPiiColumnResult[] = [];
      const clean: string[] = [];
      readable.forEach((c, i) => {
        columnsScanned++;
        const r = classifyColumn({ column: c.name, table, baseType: c.elementType ?? c.baseType, typeCategory: c.elementCategory ?? c.category, values: values[i] });
        if (!r.best) {
          clean.push(c.name);
          return;
        }
        flagged.push({
          column: c.name,
          dataType: c.typeName,
          category: r.best.category,
          confidence: r.best.confidence,
          matches: r.best.matches,
          sampled: r.best.sampled,
          reasons: r.best.reasons,
          examples: r.examples,
          suggestedRule: suggestRule(r.best.category, c, r.jsonPaths),
          alternatives: r.alternatives.map((a) => ({ category: a.category, confidence: a.confidence, matches: a.matches })),
        });
      });
      flagged.sort((a, b) => b.confidence - a.confidence);
      if (readable.length) tables.push({ schema, table, rowsEstimate: reltuples >= 0 ? Math.round(reltuples) : null, columns: flagged, clean });
      done++;
    }
    if (signal?.aborted) throw new EngineError("CANCELED", "The scan was cancelled.");
    opts.onProgress?.({ tablesDone: done, tablesTotal: byTable.size });
    await client.query("COMMIT");
    return {
      scannedAt: new Date(started).toISOString(),
      sampleSize,
      tables,
      skipped,
      totals: {
        tables: tables.length,
        columnsScanned,
        columnsFlagged: tables.reduce((n, t) => n + t.columns.length, 0),
        durationMs: Date.now() - started,
      },
    };
  } catch (err) {
    if (signal?.aborted) throw new EngineError("CANCELED", "The scan was cancelled.", "", { cause: err });
    throw classifyPgError(err, "source", context);
  } finally {
    signal?.removeEventListener("abort", onAbort);
    await closeSession(client);
  }
}

function skipReason(err: unknown): string {
  const code = (err as { code?: string })?.code;
  if (code === "57014") return "Sampling took longer than the statement timeout; the table was skipped.";
  if (code === "55P03") return "The table was locked by another session; it was skipped.";
  if (code === "42501") return "The connection's user may not read this table (no SELECT permission).";
  return `The table could not be sampled (${code ? `SQLSTATE ${code}` : "unexpected error"}).`;
}
