import type { Queryable } from "./db";

// "host:port/database" of a clone's target PostgreSQL, so that two workflows never swap into the
// same database at once. Null when the workflow has no PostgreSQL target (S3 only) or its
// config cannot be read (the run then fails with a clear message; no exclusivity is needed).
export async function targetKeyOf(db: Queryable, orgId: string, config: unknown): Promise<string | null> {
  const connectionId = (config as { outputs?: { target?: { connectionId?: unknown } } } | null)?.outputs?.target?.connectionId;
  if (typeof connectionId !== "string") return null;
  const { rows } = await db.query<{ host: string; port: number | string; database: string }>(
    `SELECT config->>'host' AS host, COALESCE(config->>'port', '5432') AS port, config->>'database' AS database
       FROM connections WHERE id::text = $1 AND org_id = $2::uuid AND kind = 'POSTGRES'`,
    [connectionId, orgId],
  );
  const c = rows[0];
  return c?.host && c.database ? `${c.host.toLowerCase()}:${c.port}/${c.database}` : null;
}
