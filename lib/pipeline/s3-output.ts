import { createHash } from "node:crypto";
import http from "node:http";
import https from "node:https";
import { PassThrough, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { DeleteObjectsCommand, HeadBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { endpointHostPort, judgeHost } from "../egress/policy";
import { egressLookup } from "../egress/resolve";
import type { TS3Connection } from "../schemas/connection";
import { EngineError, egressRefused } from "./errors";
import type { CopyUnit } from "./plan";
import type { S3ObjectReport } from "./types";

// S3 output: per table a gzip-compressed CSV streamed as a multipart upload, then manifest.json,
// written last (but before a target output is swapped in): a run's files count only once its
// manifest exists. Each run writes under its own folder, `<prefix>/<run id>/`, so a failed run
// never mixes with a complete one.

/**
 * The one door to S3: the endpoint (or AWS's own host name for the region) must pass the egress
 * policy. Every socket the SDK opens resolves its host through egressLookup, which connects only to
 * the address it checked; IP literals never reach a lookup, so their spelling is judged here.
 */
export function createS3Client(conn: TS3Connection): S3Client {
  const { host, port } = conn.endpoint ? endpointHostPort(conn.endpoint) : { host: `s3.${conn.region}.amazonaws.com`, port: 443 };
  if (judgeHost(host, port) === "refused") throw egressRefused(undefined);
  const lookup = egressLookup(port);
  return new S3Client({
    region: conn.region,
    endpoint: conn.endpoint || undefined,
    forcePathStyle: conn.forcePathStyle,
    credentials: { accessKeyId: conn.accessKeyId, secretAccessKey: conn.secretAccessKey },
    // Without these, SDK v3 sends streamed bodies with aws-chunked framing that S3-compatible
    // servers (MinIO in some modes, s3rver) store verbatim.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
    requestHandler: { httpAgent: new http.Agent({ keepAlive: true, lookup }), httpsAgent: new https.Agent({ keepAlive: true, lookup }) },
  });
}

export function runFolder(prefix: string, runId: string): string {
  const p = prefix.replace(/\/+$/, "");
  return p ? `${p}/${runId}` : runId;
}

export function objectKey(folder: string, schema: string, table: string): string {
  const safe = (s: string) => encodeURIComponent(s).replace(/%20/g, "+");
  return `${folder}/${safe(schema)}.${safe(table)}.csv.gz`;
}

/** Streams `source` (CSV text) gzip-compressed to `key`; resolves with its size and SHA-256. */
export async function uploadGzip(client: S3Client, bucket: string, key: string, source: NodeJS.ReadableStream, signal: AbortSignal): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  const body = new PassThrough();
  const upload = new Upload({
    client,
    params: { Bucket: bucket, Key: key, Body: body, ContentType: "text/csv", ContentEncoding: "gzip" },
    queueSize: 2,
    partSize: 8 * 1024 * 1024,
    leavePartsOnError: false,
  });
  const done = upload.done().catch((err) => {
    body.destroy(err);
    throw err;
  });
  try {
    await Promise.all([pipeline(source, createGzip({ level: 5 }), tap, body, { signal }), done]);
  } catch (err) {
    await upload.abort().catch(() => {});
    throw err;
  }
  return { bytes, sha256: hash.digest("hex") };
}

export type Manifest = {
  version: 1;
  runId: string;
  createdAt: string;
  tables: (S3ObjectReport & { schema: string; table: string; columns: { name: string; type: string }[]; rules: Record<string, unknown> })[];
};

/** The manifest of a run: per table its object (key, bytes, SHA-256, rows), columns and the rules applied. */
export function buildManifest(runId: string, units: CopyUnit[], objects: S3ObjectReport[]): Manifest {
  return {
    version: 1,
    runId,
    createdAt: new Date().toISOString(),
    tables: units.map((u, i) => ({
      schema: u.table.schema, table: u.table.name, ...objects[i],
      columns: u.columns.map((c) => ({ name: c.name, type: c.typeName })),
      rules: Object.fromEntries(u.ruleReports.map((r) => [r.column, { ...u.rules[r.column], ...(r.detail ? { detail: r.detail } : {}) }])),
    })),
  };
}

export function manifestKeyOf(folder: string): string {
  return `${folder}/manifest.json`;
}

export async function putManifest(client: S3Client, bucket: string, folder: string, manifest: Manifest): Promise<string> {
  const key = manifestKeyOf(folder);
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(manifest, null, 2), ContentType: "application/json" }));
  return key;
}

export async function deleteObjects(client: S3Client, bucket: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 1000) {
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.slice(i, i + 1000).map((Key) => ({ Key })) } }));
  }
}

/** Plain-words S3 errors; SDK messages can carry request details, so only the error name is used. */
export function classifyS3Error(err: unknown, bucket: string): EngineError {
  if (err instanceof EngineError) return err;
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? "";
  const code = e?.code ?? "";
  const status = e?.$metadata?.httpStatusCode;
  if (name === "AbortError") return new EngineError("CANCELED", "The run was cancelled.", "", { cause: err });
  if (code === "EGRESS_REFUSED") return egressRefused(err);
  if (["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET"].includes(code) || name === "TimeoutError") {
    return new EngineError("S3_FAILED", "The S3 endpoint cannot be reached.", "Check the endpoint URL and that this machine can reach it.", { cause: err });
  }
  if (name === "NoSuchBucket" || (name === "NotFound" && status === 404)) {
    return new EngineError("S3_FAILED", `The bucket ${bucket} does not exist.`, "Check the bucket name and region, or create the bucket.", { cause: err });
  }
  if (["InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidClientTokenId"].includes(name) || status === 403 && name !== "AccessDenied") {
    return new EngineError("S3_FAILED", "The S3 server refused the access key or secret.", "Check the access key id and secret access key.", { cause: err });
  }
  if (name === "AccessDenied" || status === 403) {
    return new EngineError("S3_FAILED", `Access to the bucket ${bucket} was denied.`, "Give the access key permission to list, put and delete objects under the prefix.", { cause: err });
  }
  return new EngineError("S3_FAILED", `The S3 upload failed${name ? ` (${name})` : ""}.`, "Run the workflow again; check the S3 server's status.", { cause: err });
}

export async function headBucket(client: S3Client, bucket: string): Promise<void> {
  await client.send(new HeadBucketCommand({ Bucket: bucket }));
}
