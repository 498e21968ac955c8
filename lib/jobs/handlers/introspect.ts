import { introspectSource } from "../../pipeline/introspect";
import { JobFailure } from "../errors";
import { loadConnection } from "../load-connection";
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
  const { rowCount } = await pool.query(
    `UPDATE connections c SET introspection = $3::jsonb, introspected_at = now()
      WHERE c.id = $1::uuid AND c.org_id = $2::uuid
        AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = $4::uuid AND j.claim_token = $5::uuid AND j.status = 'RUNNING')`,
    [job.connectionId, job.orgId, JSON.stringify(result), job.id, job.claimToken],
  );
  if (!rowCount) throw new JobFailure("CLAIM_LOST", "This worker no longer owns the job.");
  log({ level: "info", message: `Found ${result.tables.length} table(s) in ${result.schemas.length} schema(s).` });
  return { serverVersion: result.serverVersion, schemas: result.schemas, tableCount: result.tables.length };
};
