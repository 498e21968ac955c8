import { randomBytes } from "node:crypto";
import pg from "pg";
import { encryptSecret } from "../../lib/server/crypto";
import { adminQuery } from "../db";
import { withDatabase } from "../pg-server";

// Source/target databases and an organisation with connections and a clone workflow, stored
// the way the app stores them (connection secrets and the hash salt encrypted), for tests that
// run real clones through real workers. Worker children inherit DOPPEL_SECRET_KEY from here.

process.env.DOPPEL_SECRET_KEY ??= randomBytes(32).toString("base64");

export type Databases = { source: string; target: string; sourceUrl: string; targetUrl: string; drop(): Promise<void> };

export async function createSourceAndTarget(adminUrl: string, rows: number): Promise<Databases> {
  const suffix = randomBytes(5).toString("hex");
  const source = `doppel_src_${suffix}`;
  const target = `doppel_tgt_${suffix}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${source}`);
  await adminQuery(adminUrl, `CREATE DATABASE ${target}`);
  const sourceUrl = withDatabase(adminUrl, source);
  const client = new pg.Client({ connectionString: sourceUrl });
  await client.connect();
  try {
    await client.query(`
      CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, full_name text, note text, gen int NOT NULL DEFAULT 1);
      INSERT INTO customers (id, email, full_name, note)
      SELECT g, 'user' || g || '@example.test', 'Person ' || g, repeat('x', 40) FROM generate_series(1, ${rows}) g;
      ANALYZE customers;`);
  } finally {
    await client.end();
  }
  return {
    source, target, sourceUrl, targetUrl: withDatabase(adminUrl, target),
    drop: async () => {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${source} WITH (FORCE)`);
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${target} WITH (FORCE)`);
    },
  };
}

/** host/port/user/password of a URL as a stored Postgres connection (config + encrypted secret). */
export function pgConnectionParts(url: string, database: string, override: { port?: number; user?: string; password?: string } = {}) {
  const u = new URL(url);
  return {
    config: { host: u.hostname, port: override.port ?? Number(u.port || 5432), database, user: override.user ?? decodeURIComponent(u.username || "postgres"), tlsMode: "disable" },
    secretEnc: encryptSecret(override.password ?? decodeURIComponent(u.password)),
  };
}

export async function createOrgWithSalt(app: pg.Pool): Promise<string> {
  const slug = `org-${randomBytes(4).toString("hex")}`;
  const { rows } = await app.query(`INSERT INTO organizations (id, name, slug, hash_salt_enc) VALUES (gen_random_uuid(), $1, $1, $2) RETURNING id`, [slug, encryptSecret(randomBytes(24).toString("base64"))]);
  return rows[0].id;
}

export async function createConnection(app: pg.Pool, orgId: string, parts: { config: object; secretEnc: string }): Promise<string> {
  const { rows } = await app.query(
    `INSERT INTO connections (id, org_id, name, kind, config, secret_enc, updated_at) VALUES (gen_random_uuid(), $1, $2, 'POSTGRES', $3, $4, now()) RETURNING id`,
    [orgId, `conn-${randomBytes(4).toString("hex")}`, JSON.stringify(parts.config), parts.secretEnc],
  );
  return rows[0].id;
}

export const CUSTOMER_RULES = { email: { rule: "fake", kind: "email" }, full_name: { rule: "fake", kind: "full_name" }, note: { rule: "null" } };

export async function createCloneWorkflow(app: pg.Pool, orgId: string, opts: { sourceConnectionId: string; targetConnectionId: string; cron?: string; migrationDryRun?: boolean; config?: object }): Promise<string> {
  const config = opts.config ?? {
    version: 1,
    sourceConnectionId: opts.sourceConnectionId,
    // As the app stores a saved version: the source columns known at save (reviewed by the run).
    tables: [{ schema: "public", table: "customers", rules: CUSTOMER_RULES, knownColumns: ["id", "email", "full_name", "note", "gen"] }],
    outputs: { target: { connectionId: opts.targetConnectionId } },
  };
  const { rows } = await app.query(
    `INSERT INTO workflows (id, org_id, name, cron, schedule_enabled, migration_dry_run, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3::text, $3::text IS NOT NULL, $4, now()) RETURNING id`,
    [orgId, `wf-${randomBytes(4).toString("hex")}`, opts.cron ?? null, opts.migrationDryRun ?? false],
  );
  await app.query(`INSERT INTO workflow_versions (id, workflow_id, version, config) VALUES (gen_random_uuid(), $1, 1, $2)`, [rows[0].id, JSON.stringify(config)]);
  return rows[0].id;
}

/** Order-independent fingerprint of the target table (clones do not keep row order). */
export async function tableFingerprint(url: string, table = "public.customers"): Promise<{ count: number; hash: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT count(*)::int AS count, md5(string_agg(t::text, '|' ORDER BY t.id)) AS hash FROM ${table} t`);
    return rows[0];
  } finally {
    await client.end();
  }
}
