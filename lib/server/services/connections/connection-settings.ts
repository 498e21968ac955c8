import { z } from "zod";
import { ZPgConnection, ZS3Connection } from "../../../schemas/connection";
import { AppError } from "../../errors";

// The connection form's contract: non-secret settings (stored in Connection.config, shown back
// to admins) and the secret (password / secret access key: encrypted into Connection.secretEnc,
// never sent back). Validation is the shared ZPgConnection / ZS3Connection, so the worker that
// re-parses the stored config agrees with the form.

export const CONNECTION_KINDS = ["POSTGRES", "S3"] as const;
export type ConnectionKind = (typeof CONNECTION_KINDS)[number];

/** What the form posts: strings (FormData), converted here. */
export const ZSaveConnection = z.object({
  connectionId: z.uuid().optional(),
  /** Checked by saveConnection together with the settings, so the form shows every error at once. */
  name: z.string().trim().max(100, "Use at most 100 characters."),
  kind: z.enum(CONNECTION_KINDS),
  settings: z.record(z.string(), z.string()).default({}),
  /** Empty or absent: keep the stored secret (edit) / no secret (new PostgreSQL connection). */
  secret: z.string().max(10_000).optional(),
  /** The form's passed test of these settings (startSettingsTest): becomes the connection's latest test if it tested exactly what is saved. */
  testJobId: z.uuid().optional(),
});
export type TSaveConnection = z.input<typeof ZSaveConnection>;

/** The field of the form that holds the secret, per kind. */
export const SECRET_FIELD: Record<ConnectionKind, "password" | "secretAccessKey"> = { POSTGRES: "password", S3: "secretAccessKey" };

const bool = (v: string | undefined) => v === "on" || v === "true" || v === "1";

/**
 * Validates form settings for a kind. `hasStoredSecret` lets an edit keep the stored secret.
 * Returns the config to store (no secret in it). Throws AppError VALIDATION with field errors.
 */
export function parseConnectionSettings(kind: ConnectionKind, settings: Record<string, string>, opts: { secret?: string; hasStoredSecret: boolean }) {
  const secret = opts.secret ?? "";
  if (kind === "POSTGRES") {
    const parsed = ZPgConnection.safeParse({
      host: settings.host ?? "",
      port: settings.port?.trim() ? settings.port : undefined,
      database: settings.database ?? "",
      user: settings.user ?? "",
      password: secret,
      tlsMode: settings.tlsMode || undefined,
      caCert: settings.caCert?.trim() ? settings.caCert : undefined,
    });
    if (!parsed.success) throw invalid(parsed.error);
    const { password: _password, ...config } = parsed.data;
    return config;
  }
  // S3 needs a secret; an edit may keep the stored one (validated with a stand-in, never stored).
  const parsed = ZS3Connection.safeParse({
    endpoint: settings.endpoint ?? "",
    region: settings.region?.trim() ? settings.region : undefined,
    bucket: settings.bucket ?? "",
    accessKeyId: settings.accessKeyId ?? "",
    secretAccessKey: secret || (opts.hasStoredSecret ? "stored" : ""),
    forcePathStyle: bool(settings.forcePathStyle),
  });
  if (!parsed.success) throw invalid(parsed.error);
  const { secretAccessKey: _secret, ...config } = parsed.data;
  return config;
}

function invalid(error: z.ZodError) {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "settings");
    const message = issue.code === "invalid_value" && key === "tlsMode" ? "Choose disable, require or verify-full." : friendly(key, issue.message);
    (fieldErrors[key] ??= []).push(message);
  }
  return new AppError("VALIDATION", "Please correct the highlighted fields.", fieldErrors);
}

/** zod's default messages for numbers and strings, in the form's words. */
function friendly(key: string, message: string): string {
  if (key === "port") return "Enter a port number between 1 and 65535.";
  if (key === "region") return "Enter the region, e.g. us-east-1.";
  return message.startsWith("Too small") || message.startsWith("Invalid") ? `Check this field: ${message.toLowerCase()}.` : message;
}

/** One line that tells connections apart in lists: host:port/database or bucket @ endpoint. */
export function connectionSummary(kind: ConnectionKind, config: unknown): string {
  const c = (config ?? {}) as Record<string, unknown>;
  if (kind === "POSTGRES") return `${String(c.host ?? "?")}:${String(c.port ?? 5432)}/${String(c.database ?? "?")}`;
  const endpoint = typeof c.endpoint === "string" && c.endpoint ? new URL(c.endpoint).host : "AWS S3";
  return `${String(c.bucket ?? "?")} @ ${endpoint}`;
}
