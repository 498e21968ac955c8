import { z } from "zod";
import { runPiiScan } from "../../pii/scan";
import { ZPgConnection, type TPgConnection } from "../../schemas/connection";
import { decryptSecret } from "../../server/crypto";
import type { Queryable } from "../db";
import { JobFailure } from "../errors";
import type { JobHandler } from "./types";

// PII_SCAN: sample the source connection stored on the job (Job.connectionId, same organisation)
// and classify its columns; the PiiScanResult (masked examples only) becomes the job's report.
// The scan is read-only on the source, so a retry from the start is always safe.

export const ZPiiScanInput = z.object({
  sampleSize: z.number().int().min(10).max(5000).optional(),
  schemas: z.array(z.string().min(1)).max(100).optional(),
});

async function loadPgConnection(db: Queryable, orgId: string, connectionId: string): Promise<TPgConnection> {
  // Tenancy in the query: another organisation's connection looks missing.
  const { rows } = await db.query<{ name: string; kind: string; config: Record<string, unknown>; secret_enc: string | null }>(
    `SELECT name, kind::text AS kind, config, secret_enc FROM connections WHERE id = $1::uuid AND org_id = $2::uuid`,
    [connectionId, orgId],
  );
  const c = rows[0];
  if (!c) throw new JobFailure("INVALID_INPUT", "The connection to scan no longer exists.", "Choose another connection and start the scan again.");
  if (c.kind !== "POSTGRES") throw new JobFailure("INVALID_INPUT", `The connection "${c.name}" is not a PostgreSQL connection.`, "Scan a PostgreSQL source connection.");
  let password: string;
  try {
    password = c.secret_enc ? decryptSecret(c.secret_enc) : "";
  } catch {
    throw new JobFailure("SECRET_UNREADABLE", `The secret of connection "${c.name}" cannot be decrypted.`,
      "The worker needs the same DOPPEL_SECRET_KEY (and older key versions) as the web app. Or re-enter the password on the connection.");
  }
  const parsed = ZPgConnection.safeParse({ ...c.config, password });
  if (!parsed.success) throw new JobFailure("INVALID_INPUT", `The connection "${c.name}" is incomplete.`, "Open the connection, fix it and save.");
  return parsed.data;
}

export const runPiiScanJob: JobHandler = async ({ job, signal, pool, onProgress, log }) => {
  if (!job.connectionId) throw new JobFailure("INVALID_INPUT", "This scan job has no connection.", "Start the scan from a connection's page.");
  const input = ZPiiScanInput.safeParse(job.input ?? {});
  if (!input.success) throw new JobFailure("INVALID_INPUT", "The scan's options are invalid (sample size 10–5000, up to 100 schemas).");
  const conn = await loadPgConnection(pool, job.orgId, job.connectionId);
  log({ level: "info", message: `Scanning for personal data, ${input.data.sampleSize ?? 200} values per column.` });
  const report = await runPiiScan(conn, {
    ...input.data,
    signal,
    onProgress: (p) => {
      if (p.schema && p.table) {
        onProgress({ type: "table", table: { schema: p.schema, table: p.table, phase: "copying", rowsDone: 0, bytesDone: 0, rowsEstimate: null } });
      }
    },
  });
  for (const t of report.tables) {
    onProgress({ type: "table", table: { schema: t.schema, table: t.table, phase: "done", rowsDone: 0, bytesDone: 0, rowsEstimate: t.rowsEstimate } });
  }
  log({ level: "info", message: `Scanned ${report.totals.columnsScanned} column(s) in ${report.totals.tables} table(s); ${report.totals.columnsFlagged} look like personal data.` });
  for (const s of report.skipped) log({ level: "warn", message: `Skipped ${s.schema}.${s.table}${s.column ? `.${s.column}` : ""}: ${s.reason}` });
  return report;
};
