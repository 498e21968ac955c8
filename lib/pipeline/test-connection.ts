import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { TPgConnection, TS3Connection } from "../schemas/connection";
import { closeSession, openSession } from "./connect";
import { classifyPgError, type Side } from "./errors";
import { classifyS3Error, createS3Client, headBucket } from "./s3-output";

// "Test connection" for the connection forms: connect, report the server version and what the
// user may do, or raise an EngineError with a plain-words message and a hint.

export type PgConnectionInfo = { serverVersion: string; serverMajor: number; user: string; canCreateSchemas: boolean; readOnly: boolean };

export async function testPostgresConnection(conn: TPgConnection, opts: { side?: Side; timeoutMs?: number } = {}): Promise<PgConnectionInfo> {
  const side = opts.side ?? "source";
  const client = await openSession(conn, side, { connectTimeoutMs: opts.timeoutMs ?? 10_000 });
  try {
    const { rows } = await client.query(`SELECT current_setting('server_version') AS v, current_setting('server_version_num')::int AS n, current_user AS u,
      has_database_privilege(current_database(), 'CREATE') AS can_create, pg_is_in_recovery() AS standby`);
    const r = rows[0];
    return { serverVersion: r.v, serverMajor: Math.floor(r.n / 10000), user: r.u, canCreateSchemas: r.can_create, readOnly: r.standby };
  } catch (err) {
    throw classifyPgError(err, side, "testing the connection");
  } finally {
    await closeSession(client);
  }
}

export async function testS3Connection(conn: TS3Connection): Promise<{ bucket: string }> {
  const client = createS3Client(conn);
  try {
    await headBucket(client, conn.bucket);
    await client.send(new ListObjectsV2Command({ Bucket: conn.bucket, MaxKeys: 1 }));
    return { bucket: conn.bucket };
  } catch (err) {
    throw classifyS3Error(err, conn.bucket);
  } finally {
    client.destroy();
  }
}
