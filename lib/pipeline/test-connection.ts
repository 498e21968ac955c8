import { randomUUID } from "node:crypto";
import type { TPgConnection, TS3Connection } from "../schemas/connection";
import { closeSession, openSession } from "./connect";
import { classifyPgError, type Side } from "./errors";

// "Test connection" for the connection forms: connect, report the server version, the database's
// size and table count and what the user may do; for S3, write and delete a probe object (a run
// needs both). Failures raise an EngineError with a plain-words message and a hint.

export type PgConnectionInfo = {
  serverVersion: string;
  serverMajor: number;
  user: string;
  canCreateSchemas: boolean;
  readOnly: boolean;
  /** pg_database_size of the database. */
  databaseBytes: number;
  /** Ordinary and partitioned tables outside the system schemas (partitions counted too). */
  tableCount: number;
};

export type S3ConnectionInfo = { bucket: string; canWrite: true };

/** Where the S3 test writes (and deletes) its probe object. */
export const S3_PROBE_FOLDER = "doppel-connection-test/";

export async function testPostgresConnection(conn: TPgConnection, opts: { side?: Side; timeoutMs?: number } = {}): Promise<PgConnectionInfo> {
  const side = opts.side ?? "test";
  const client = await openSession(conn, side, { connectTimeoutMs: opts.timeoutMs ?? 10_000 });
  try {
    const { rows } = await client.query(`SELECT current_setting('server_version') AS v, current_setting('server_version_num')::int AS n, current_user AS u,
      has_database_privilege(current_database(), 'CREATE') AS can_create, pg_is_in_recovery() AS standby,
      pg_database_size(current_database())::text AS bytes,
      (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%') AS tables`);
    const r = rows[0];
    return {
      serverVersion: r.v, serverMajor: Math.floor(r.n / 10000), user: r.u, canCreateSchemas: r.can_create, readOnly: r.standby,
      databaseBytes: Number(r.bytes), tableCount: r.tables,
    };
  } catch (err) {
    throw classifyPgError(err, side, "testing the connection");
  } finally {
    await closeSession(client);
  }
}

export async function testS3Connection(conn: TS3Connection): Promise<S3ConnectionInfo> {
  // Loaded on first use, as the clone does: the S3 SDK holds ~25 MiB of a worker's memory.
  const [{ DeleteObjectCommand, ListObjectsV2Command, PutObjectCommand }, { classifyS3Error, createS3Client, headBucket }] = await Promise.all([
    import("@aws-sdk/client-s3"),
    import("./s3-output"),
  ]);
  const client = createS3Client(conn);
  try {
    await headBucket(client, conn.bucket);
    await client.send(new ListObjectsV2Command({ Bucket: conn.bucket, MaxKeys: 1 }));
    const Key = `${S3_PROBE_FOLDER}${randomUUID()}.txt`;
    await client.send(new PutObjectCommand({ Bucket: conn.bucket, Key, Body: "Doppel connection test: this object is deleted right away.\n", ContentType: "text/plain" }));
    await client.send(new DeleteObjectCommand({ Bucket: conn.bucket, Key }));
    return { bucket: conn.bucket, canWrite: true };
  } catch (err) {
    throw classifyS3Error(err, conn.bucket);
  } finally {
    client.destroy();
  }
}
