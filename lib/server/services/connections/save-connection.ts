import { Prisma } from "../../../../generated/prisma/client";
import { EGRESS_REFUSED_MESSAGE, endpointHostPort } from "../../../egress/policy";
import { egressRefuses } from "../../../egress/resolve";
import { SQL } from "../../../jobs/queue-sql";
import { recordAudit } from "../../audit";
import { encryptSecret } from "../../crypto";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import type { OrgActor } from "../../tenancy/membership";
import { type ConnectionKind, parseConnectionSettings, SECRET_FIELD } from "./connection-settings";

export type SaveConnectionOptions = {
  db?: Db;
  orgId: string;
  actor: OrgActor;
  /** Absent: create. */
  connectionId?: string;
  name: string;
  kind: ConnectionKind;
  settings: Record<string, string>;
  /** Empty/absent keeps the stored secret. */
  secret?: string;
  /** A passed test of these settings from the form ("Test and save"): kept as the connection's latest test. */
  testJobId?: string;
};

// Creates or updates a connection. The secret is encrypted here and only here; the result
// carries the id, never the secret. Changing where a PostgreSQL connection points drops its
// cached introspection (it describes another database).

/**
 * The settings that say where the secret goes (and as whom). Changing any of them needs the
 * secret again: otherwise an admin could point a production connection at a server of their
 * own, press Test, and receive the stored password.
 */
// TLS settings count too: weakening them (e.g. verify-full -> disable, another CA) could expose the password.
const POINTS_AT: Record<ConnectionKind, string[]> = { POSTGRES: ["host", "port", "user", "database", "tlsMode", "caCert"], S3: ["endpoint", "bucket", "accessKeyId"] };
const LABELS: Record<string, string> = { host: "host", port: "port", user: "user", database: "database", tlsMode: "TLS mode", caCert: "CA certificate", endpoint: "endpoint", bucket: "bucket", accessKeyId: "access key ID" };
export async function saveConnection({ db = prisma, orgId, actor, connectionId, name, kind, settings, secret, testJobId }: SaveConnectionOptions): Promise<{ id: string }> {
  let checked: CheckedSettings;
  try {
    checked = await checkConnectionSettings({ db, orgId, connectionId, kind, settings, secret });
    if (!name.trim()) throw new AppError("VALIDATION", "Please correct the highlighted fields.", {});
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "VALIDATION" || name.trim()) throw err;
    throw new AppError("VALIDATION", err.message, { ...err.fieldErrors, name: ["Give the connection a name."] });
  }
  const { existing, config } = checked;
  const before = (existing?.config ?? {}) as Record<string, unknown>;
  const secretEnc = secret ? (checked.secretEnc ?? undefined) : undefined;

  if (!existing) {
    const created = await db.connection.create({ data: { orgId, name, kind, config, secretEnc: secretEnc ?? null }, select: { id: true } });
    await recordAudit({ orgId, actor: { id: actor.userId, label: actor.label }, action: "connection.created", target: name, details: { kind } }, db);
    if (testJobId) await adoptSettingsTest(db, orgId, created.id, testJobId, config);
    return created;
  }
  const moved = kind === "POSTGRES" && ["host", "port", "database"].some((k) => String(before[k]) !== String((config as Record<string, unknown>)[k]));
  const updated = await db.connection.updateMany({
    where: { id: existing.id, orgId },
    data: { name, config, ...(secretEnc ? { secretEnc } : {}), ...(moved ? { introspection: Prisma.DbNull, introspectedAt: null } : {}) },
  });
  if (updated.count !== 1) throw notFound("That connection");
  await recordAudit(
    { orgId, actor: { id: actor.userId, label: actor.label }, action: "connection.updated", target: name, details: { kind, secretReplaced: !!secretEnc, field: SECRET_FIELD[kind] } },
    db,
  );
  if (testJobId) await adoptSettingsTest(db, orgId, existing.id, testJobId, config);
  return { id: existing.id };
}

/**
 * The form's passed test becomes the connection's latest test (its page and list show "Works"),
 * but only a test of exactly the settings saved: the job's config is compared as jsonb with the
 * config stored (both parsed by parseConnectionSettings). Anything else is left as it was.
 */
async function adoptSettingsTest(db: Db, orgId: string, connectionId: string, jobId: string, config: unknown): Promise<void> {
  await db.$executeRawUnsafe(SQL.adoptSettingsTest, connectionId, jobId, orgId, JSON.stringify(config));
}

type CheckedSettings = {
  existing: { id: string; kind: ConnectionKind; config: unknown; secretEnc: string | null } | null;
  config: ReturnType<typeof parseConnectionSettings>;
  /** The secret to use: the one entered, else the stored one (encrypted), else none. */
  secretEnc: string | null;
};

/**
 * The one check of a connection's settings, for saving them and for testing them unsaved: the
 * shared schema, the egress policy (host names resolved), and the rule that a stored secret is
 * only used where it was entered for (POINTS_AT).
 */
export async function checkConnectionSettings({ db = prisma, orgId, connectionId, kind, settings, secret }: Omit<SaveConnectionOptions, "actor" | "name">): Promise<CheckedSettings> {
  const existing = connectionId
    ? await db.connection.findFirst({ where: { id: connectionId, orgId }, select: { id: true, kind: true, config: true, secretEnc: true } })
    : null;
  if (connectionId && !existing) throw notFound("That connection");
  if (existing && existing.kind !== kind) throw new AppError("VALIDATION", "A connection's type cannot change. Create a new connection instead.");
  const config = parseConnectionSettings(kind, settings, { secret, hasStoredSecret: !!existing?.secretEnc });
  await refuseInternalHost(kind, config as Record<string, unknown>);
  const before = (existing?.config ?? {}) as Record<string, unknown>;
  const changed = existing ? POINTS_AT[kind].filter((k) => String(before[k] ?? "") !== String((config as Record<string, unknown>)[k] ?? "")) : [];
  if (changed.length > 0 && existing?.secretEnc && !secret) {
    const field = SECRET_FIELD[kind];
    const what = kind === "POSTGRES" ? "password" : "secret access key";
    throw new AppError("VALIDATION", "Please correct the highlighted fields.", {
      [field]: [`You changed the ${changed.map((k) => LABELS[k] ?? k).join(", ")}: enter the ${what} again. A stored ${what} is only sent where it was entered for.`],
    });
  }
  return { existing, config, secretEnc: secret ? encryptSecret(secret) : (existing?.secretEnc ?? null) };
}

/** The schema judged the host's spelling; a host name is resolved here too, so a name that points inside is refused at save as at run. */
async function refuseInternalHost(kind: ConnectionKind, config: Record<string, unknown>): Promise<void> {
  const where = kind === "POSTGRES"
    ? { field: "host", host: String(config.host), port: Number(config.port) }
    : typeof config.endpoint === "string" && config.endpoint ? { field: "endpoint", ...endpointHostPort(config.endpoint) } : null;
  if (where && await egressRefuses(where.host, where.port)) {
    throw new AppError("VALIDATION", "Please correct the highlighted fields.", { [where.field]: [EGRESS_REFUSED_MESSAGE] });
  }
}
