import { introspectSource } from "../../pipeline/introspect";
import { JobFailure } from "../errors";
import { loadConnection } from "../load-connection";
import { SQL } from "../queue-sql";
import type { JobHandler } from "./types";

// INTROSPECT: read the source catalog (read-only) for the workflow editor and store it on the
// connection. The write is fenced like every other: a worker that lost the job stores nothing.
export const runIntrospectJob: JobHandler = async ({ job, pool, log, assertClaim }) => {
  if (!job.connectionId) throw new JobFailure("INVALID_INPUT", "This job has no connection.", "Start it from a connection's page.");
  const conn = await loadConnection(pool, job.orgId, job.connectionId);
  if (conn.kind !== "POSTGRES") throw new JobFailure("INVALID_INPUT", `The connection "${conn.name}" is not a PostgreSQL connection.`, "Only PostgreSQL sources have tables to list.");
  const schemas = Array.isArray(job.input.schemas) ? job.input.schemas.filter((s): s is string => typeof s === "string") : undefined;
  const result = await introspectSource(conn.pg, { schemas });
  await assertClaim();
  const { rowCount } = await pool.query(SQL.storeIntrospection, [job.connectionId, job.orgId, JSON.stringify(result), job.id, job.claimToken]);
  if (!rowCount) throw new JobFailure("CLAIM_LOST", "This worker no longer owns the job.");
  log({ level: "info", message: `Found ${result.tables.length} table(s) in ${result.schemas.length} schema(s).` });
  return { serverVersion: result.serverVersion, schemas: result.schemas, tableCount: result.tables.length };
};
