import { z } from "zod";
import { EGRESS_REFUSED_MESSAGE, endpointHostPort, isInternalAddress, judgeHost, parseIp } from "../egress/policy";

// Connection settings as structured fields (never a raw connection string), shared by the
// connection form, the workers and the engine's workflow definition. The host's spelling is
// judged by the egress policy here (lib/egress/policy.ts); names are resolved and checked again
// where a session or S3 client is created (lib/pipeline/connect.ts, s3-output.ts).

export const ZTlsMode = z.enum(["disable", "require", "verify-full"]);

/**
 * The TLS mode when none is chosen (the form's default and the schema's): "disable" only for a
 * server on this machine or one the operator allowed explicitly — `localhost`, a loopback
 * address, a socket path, or an internal address or name in DOPPEL_EGRESS_ALLOW (their own private
 * network; the quick start's demo databases on 127.0.0.1) — and "require" for every other host, so
 * that a password never crosses a network in the clear unless someone chose that.
 */
export function defaultTlsMode(host: string, port: number): "disable" | "require" {
  const h = host.trim().toLowerCase().replace(/\.$/, "");
  if (h === "localhost" || h.endsWith(".localhost") || h.startsWith("/")) return "disable";
  const bytes = parseIp(h);
  const loopback = !!bytes && (bytes.length === 4 ? bytes[0] === 127 : bytes.every((b, i) => b === (i === 15 ? 1 : 0)));
  if (loopback) return "disable";
  // judgeHost allows public addresses too; an internal address or a name only when allow-listed.
  const allowListed = judgeHost(h, port) === "allowed" && (!bytes || isInternalAddress(bytes));
  return allowListed ? "disable" : "require";
}

export const ZPgConnection = z.object({
  host: z.string().trim().min(1, "Enter the host name or IP address."),
  port: z.coerce.number().int().min(1).max(65535).default(5432),
  database: z.string().trim().min(1, "Enter the database name."),
  user: z.string().trim().min(1, "Enter the user name."),
  password: z.string().default(""),
  /** Absent: defaultTlsMode(host). */
  tlsMode: ZTlsMode.optional(),
  /** PEM, required for verify-full. */
  caCert: z.string().optional(),
}).refine((c) => c.tlsMode !== "verify-full" || !!c.caCert?.trim(), {
  message: "verify-full needs the server's CA certificate.",
  path: ["caCert"],
}).refine((c) => typeof c.host !== "string" || !c.host.trim() || judgeHost(c.host, c.port) !== "refused", { message: EGRESS_REFUSED_MESSAGE, path: ["host"] })
  .transform((c) => ({ ...c, tlsMode: c.tlsMode ?? defaultTlsMode(c.host, c.port) }));
export type TPgConnection = z.infer<typeof ZPgConnection>;

export const ZS3Connection = z.object({
  /** Empty for AWS; set for S3-compatible servers (MinIO, s3rver, ...). */
  endpoint: z.string().trim().url("Enter a URL such as https://s3.example.com").optional().or(z.literal("").transform(() => undefined)),
  region: z.string().trim().min(1).default("us-east-1"),
  bucket: z.string().trim().min(3, "Enter the bucket name."),
  accessKeyId: z.string().trim().min(1, "Enter the access key id."),
  secretAccessKey: z.string().min(1, "Enter the secret access key."),
  forcePathStyle: z.boolean().default(true),
}).refine((c) => typeof c.endpoint !== "string" || !URL.canParse(c.endpoint) || judgeHost(endpointHostPort(c.endpoint).host, endpointHostPort(c.endpoint).port) !== "refused", {
  message: EGRESS_REFUSED_MESSAGE,
  path: ["endpoint"],
});
export type TS3Connection = z.infer<typeof ZS3Connection>;
