import pg from "pg";
import { type EgressTarget, resolveEgress } from "../egress/resolve";
import type { TPgConnection } from "../schemas/connection";
import { pinSessionSettings } from "./copy-text";
import { classifyPgError, type Side } from "./errors";

// Opening engine sessions, the one door to customers' servers: the egress policy first (the host
// resolved once and checked, lib/egress), then a session to the checked address, TLS from the
// connection's mode (verified against the host name, not the address), the text-format settings
// pinned on both sides (copy-text.ts), and every session but a target's read-only by default so that
// nothing the engine sends can ever write to the source.

export function pgConfig(conn: TPgConnection, target: EgressTarget, opts: { connectTimeoutMs?: number; applicationName?: string } = {}): pg.ClientConfig {
  const password = conn.password;
  return {
    host: target.address,
    port: conn.port,
    database: conn.database,
    user: conn.user,
    // A function, because pg replaces an empty string with PGPASSWORD and a null with ~/.pgpass:
    // the worker's own credentials must never be offered to a customer's server.
    password: () => password,
    ssl: conn.tlsMode === "disable" ? false
      : conn.tlsMode === "require" ? { rejectUnauthorized: false, ...(target.servername ? { servername: target.servername } : {}) }
        : { rejectUnauthorized: true, ca: conn.caCert, ...(target.servername ? { servername: target.servername } : {}) },
    sslnegotiation: "postgres",
    client_encoding: "UTF8",
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 15_000,
    application_name: opts.applicationName ?? "doppel",
    keepAlive: true,
  };
}

/** pg reads PGOPTIONS and PGREPLICATION when the config leaves them unset; a customer session takes nothing from the worker's environment. */
function dropEnvironmentFallbacks(client: pg.Client): void {
  const params = (client as unknown as { connectionParameters: Record<string, unknown> }).connectionParameters;
  params.options = undefined;
  params.replication = undefined;
}

/** application_name: `doppel-<side>`, then the caller's label (printable ASCII, cut to PostgreSQL's 63 bytes). */
export function sessionName(side: Side, label?: string): string {
  const clean = (label ?? "").replace(/[^\x20-\x7e]/g, "").trim();
  return (clean ? `doppel-${side} ${clean}` : `doppel-${side}`).slice(0, 63);
}

export async function openSession(conn: TPgConnection, side: Side, opts: { connectTimeoutMs?: number; applicationName?: string } = {}): Promise<pg.Client> {
  let target: EgressTarget;
  try {
    target = await resolveEgress(conn.host, conn.port);
  } catch (err) {
    throw classifyPgError(err, side, "connecting");
  }
  const client = new pg.Client(pgConfig(conn, target, { ...opts, applicationName: sessionName(side, opts.applicationName) }));
  dropEnvironmentFallbacks(client);
  // An idle client whose server goes away emits 'error'; without a listener Node would crash.
  client.on("error", () => {});
  // "connecting" words a failure in one of three ways only (errors.ts): the sign-in is the oracle a tenant could probe.
  let phase = "connecting";
  try {
    await client.connect();
    phase = "setting up the session";
    await pinSessionSettings(client);
    // A role's default timeouts would kill long copies and index builds, or the snapshot
    // transaction while it waits for the copies; the engine bounds its own work instead.
    // JIT off: the engine's queries are catalog reads (recursive walks over pg_depend whose cost
    // estimates run into millions, so the server spent ~2 s compiling one that runs in 5 ms) and
    // plain scans and COPYs, which compilation does not speed up.
    await client.query("SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0; SET jit = off");
    // A tested connection may be a production source: it is read-only too.
    if (side !== "target") await client.query("SET default_transaction_read_only = on");
    return client;
  } catch (err) {
    await client.end().catch(() => {});
    throw classifyPgError(err, side, phase);
  }
}

export async function closeSession(client: pg.Client | null | undefined): Promise<void> {
  if (!client) return;
  await client.end().catch(() => {});
}

/** Always-quoted identifier (the one quoting helper of lib/pipeline, with ql), e.g. `My "table"` -> `"My ""table"""`. */
export function qi(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qname(schema: string, name: string): string {
  return `${qi(schema)}.${qi(name)}`;
}

/** A string literal that reads the same whatever standard_conforming_strings is (like PostgreSQL's quote_literal). */
export function ql(value: string): string {
  const body = value.replaceAll("'", "''");
  return value.includes("\\") ? `E'${body.replaceAll("\\", "\\\\")}'` : `'${body}'`;
}
