import type { PgConnectionInfo, testS3Connection } from "../../../pipeline/test-connection";
import { isUuid } from "../../../jobs/queue";
import { prisma, type Db } from "../../db";
import { notFound } from "../../errors";

// What the connection page polls while a test or an introspection runs: the latest job of each
// kind for the connection, in words the page shows as they are (no raw JSON). Job reports and
// errors hold no secrets or row values (lib/jobs, lib/pipeline/errors.ts).

export type JobState = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELED";

export type ConnectionJobView = {
  id: string;
  status: JobState;
  finishedAt: string | null;
  /** Success: facts about the server/bucket, one per line. */
  facts: string[];
  /** Failure: plain words and what to do. */
  error: { message: string; hint: string } | null;
};

export type ConnectionStatus = {
  test: ConnectionJobView | null;
  introspect: ConnectionJobView | null;
  introspectedAt: string | null;
};

export const isDone = (s: JobState) => s === "SUCCEEDED" || s === "FAILED" || s === "CANCELED";

export async function getConnectionStatus({ db = prisma, orgId, connectionId }: { db?: Db; orgId: string; connectionId: string }): Promise<ConnectionStatus> {
  const conn = isUuid(connectionId) ? await db.connection.findFirst({ where: { id: connectionId, orgId }, select: { id: true, introspectedAt: true, introspection: true } }) : null;
  if (!conn) throw notFound("That connection");
  const latest = (kind: "TEST_CONNECTION" | "INTROSPECT") =>
    db.job.findFirst({
      where: { orgId, connectionId: conn.id, kind },
      orderBy: { createdAt: "desc" },
      select: { id: true, status: true, finishedAt: true, report: true, error: true },
    });
  const [test, introspect] = await Promise.all([latest("TEST_CONNECTION"), latest("INTROSPECT")]);
  // The test itself reports the database size and table count (a second line from the
  // introspection repeated the table count).
  return { test: test && toView(test, testFacts), introspect: introspect && toView(introspect, introspectFacts), introspectedAt: conn.introspectedAt?.toISOString() ?? null };
}

/** A test of unsaved settings from the connection form (startSettingsTest): a job of the organisation without a connection. */
export async function getSettingsTest({ db = prisma, orgId, jobId }: { db?: Db; orgId: string; jobId: string }): Promise<ConnectionJobView> {
  const job = isUuid(jobId)
    ? await db.job.findFirst({ where: { id: jobId, orgId, kind: "TEST_CONNECTION", connectionId: null }, select: { id: true, status: true, finishedAt: true, report: true, error: true } })
    : null;
  if (!job) throw notFound("That test");
  return toView(job, testFacts);
}

type JobRow = { id: string; status: JobState; finishedAt: Date | null; report: unknown; error: unknown };

function toView(job: JobRow, facts: (report: Record<string, unknown>) => string[]): ConnectionJobView {
  const err = job.error as { message?: unknown; hint?: unknown } | null;
  return {
    id: job.id,
    status: job.status,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    facts: job.status === "SUCCEEDED" && job.report && typeof job.report === "object" ? facts(job.report as Record<string, unknown>) : [],
    error:
      job.status === "FAILED" || job.status === "CANCELED"
        ? {
            message: typeof err?.message === "string" ? err.message : job.status === "CANCELED" ? "The check was cancelled." : "The check failed.",
            hint: typeof err?.hint === "string" ? err.hint : "",
          }
        : null,
  };
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "unknown size";
  const units = ["bytes", "kB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${v} bytes` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

// What the TEST_CONNECTION handler stores (lib/jobs/handlers/test-connection.ts): the engine's
// result plus its kind. Typed from the engine so a renamed field fails the type-check here.
type TestReport = Partial<PgConnectionInfo & Awaited<ReturnType<typeof testS3Connection>>>;

/** Facts from a TEST_CONNECTION report (PostgreSQL: version, user, size and tables, target fitness; S3: bucket, write probe). */
export function testFacts(report: Record<string, unknown>): string[] {
  const r = report as TestReport;
  const out: string[] = [];
  if (typeof r.serverVersion === "string") out.push(`PostgreSQL ${r.serverVersion}`);
  if (typeof r.user === "string") out.push(`Signed in as ${r.user}`);
  const size = num(r.databaseBytes);
  const tableCount = num(r.tableCount);
  if (size !== null && tableCount !== null) out.push(`Database size ${formatBytes(size)}, ${tableCount} ${tableCount === 1 ? "table" : "tables"}`);
  if (r.readOnly === true) out.push("Read-only server (a standby): fine as a source, not as a target");
  if (r.canCreateSchemas === false) out.push("This user cannot create schemas: fine as a source, not as a target");
  if (typeof r.bucket === "string") out.push(r.canWrite === true ? `Bucket ${r.bucket} is reachable and writable (a test object was written and deleted)` : `Bucket ${r.bucket} is reachable`);
  return out.length ? out : ["Connected."];
}

/** Facts from an INTROSPECT report (lib/jobs/handlers/introspect.ts: serverVersion, schemas, tableCount). */
function introspectFacts(r: Record<string, unknown>): string[] {
  const tables = num(r.tableCount);
  return tables !== null ? [`${tables} ${tables === 1 ? "table" : "tables"} found`] : ["Table list refreshed."];
}
