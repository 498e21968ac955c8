import { z } from "zod";
import { runPiiScan } from "../../pii/scan";
import { JobFailure } from "../errors";
import { loadConnection } from "../load-connection";
import type { JobHandler } from "./types";

// PII_SCAN: sample the source connection stored on the job (Job.connectionId, same organisation)
// and classify its columns; the PiiScanResult (masked examples only) becomes the job's report.
// The scan is read-only on the source, so a retry from the start is always safe.

export const ZPiiScanInput = z.object({
  sampleSize: z.number().int().min(10).max(5000).optional(),
  schemas: z.array(z.string().min(1)).max(100).optional(),
});

export const runPiiScanJob: JobHandler = async ({ job, signal, pool, onProgress, log }) => {
  if (!job.connectionId) throw new JobFailure("INVALID_INPUT", "This scan job has no connection.", "Start the scan from a connection's page.");
  const input = ZPiiScanInput.safeParse(job.input ?? {});
  if (!input.success) throw new JobFailure("INVALID_INPUT", "The scan's options are invalid (sample size 10–5000, up to 100 schemas).");
  const { pg: conn } = await loadConnection(pool, job.orgId, job.connectionId, { kind: "POSTGRES", role: "scanned", hint: "Scan a PostgreSQL source connection: choose another one and start the scan again." });
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
