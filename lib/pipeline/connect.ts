import pg from "pg";
import type { TPgConnection } from "../schemas/connection";
import { pinSessionSettings } from "./copy-text";
import { classifyPgError, type Side } from "./errors";

// Opening engine sessions: TLS from the connection's mode, the text-format settings pinned on
// both sides (copy-text.ts), and every source session read-only by default so that nothing
// the engine sends can ever write to the source.

export function pgConfig(conn: TPgConnection, opts: { connectTimeoutMs?: number; applicationName?: string } = {}): pg.ClientConfig {
  return {
    host: conn.host,
    port: conn.port,
    database: conn.database,
    user: conn.user,
    password: conn.password,
    ssl: conn.tlsMode === "disable" ? false
      : conn.tlsMode === "require" ? { rejectUnauthorized: false }
        : { rejectUnauthorized: true, ca: conn.caCert },
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 15_000,
    application_name: opts.applicationName ?? "doppel",
    keepAlive: true,
  };
}

/** application_name: `doppel-<side>`, then the caller's label (printable ASCII, cut to PostgreSQL's 63 bytes). */
export function sessionName(side: Side, label?: string): string {
  const clean = (label ?? "").replace(/[^\x20-\x7e]/g, "").trim();
  return (clean ? `doppel-${side} ${clean}` : `doppel-${side}`).slice(0, 63);
}

export async function openSession(conn: TPgConnection, side: Side, opts: { connectTimeoutMs?: number; applicationName?: string } = {}): Promise<pg.Client> {
  const client = new pg.Client(pgConfig(conn, { ...opts, applicationName: sessionName(side, opts.applicationName) }));
  // An idle client whose server goes away emits 'error'; without a listener Node would crash.
  client.on("error", () => {});
  try {
    await client.connect();
    await pinSessionSettings(client);
    // A role's default timeouts would kill long copies and index builds, or the snapshot
    // transaction while it waits for the copies; the engine bounds its own work instead.
    await client.query("SET statement_timeout = 0; SET idle_in_transaction_session_timeout = 0");
    if (side === "source") await client.query("SET default_transaction_read_only = on");
    return client;
  } catch (err) {
    await client.end().catch(() => {});
    throw classifyPgError(err, side, "connecting");
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
