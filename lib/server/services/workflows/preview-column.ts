import type { Queryable } from "../../../jobs/db";
import { JobFailure } from "../../../jobs/errors";
import { loadConnection } from "../../../jobs/load-connection";
import { closeSession, openSession, qi, qname } from "../../../pipeline/connect";
import { EngineError } from "../../../pipeline/errors";
import { maskExample } from "../../../pii/mask-example";
import type { TPiiCategory } from "../../../pii/types";
import { checkRuleFits, compileRule } from "../../../redaction/catalogue";
import type { TRule } from "../../../schemas/rules";
import { decryptSecret } from "../../crypto";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import { getWorkflow } from "./get-workflow";
import { givesAwayOriginal } from "./preview-guard";
import { findTable, readIntrospection } from "./source-catalog";

// The rule picker's live preview: up to 5 real values of one source column (read-only session,
// short statement timeout), each shown before -> after the rule with the organisation's salt, so
// the preview equals what a run writes. Originals are masked unless `reveal` (admins only: the
// action checks the role). For roles that may not see source values (`guard`), the rule is the
// one an admin saved (savedPreviewRule; the browser's rule could be chosen to give values away)
// and an "after" that gives its original away is withheld (preview-guard.ts). Values never go
// to logs.

export const PREVIEW_ROWS = 5;
const MAX_SHOWN = 200;

/** `withheld`: the after is not shown because it gives the original away (after is then null). */
export type PreviewRow = { before: string; after: string | null; withheld?: true };
export type ColumnPreview = { rows: PreviewRow[]; revealed: boolean; note: string | null };

/** How to mask an original so its shape shows without the value (lib/pii/mask-example.ts). */
function categoryFor(rule: TRule): TPiiCategory {
  if (rule.rule === "fake") {
    const byKind: Partial<Record<string, TPiiCategory>> = {
      first_name: "first_name", last_name: "last_name", full_name: "full_name", email: "email", phone: "phone",
      street_address: "street_address", city: "city", postal_code: "postal_code", username: "username", ip: "ip_address", url: "url",
    };
    return byKind[rule.kind] ?? "unique_id";
  }
  if (rule.rule === "mask") return rule.format === "phone" ? "phone" : rule.format === "ssn" ? "ssn" : rule.format === "card" ? "payment_card" : "unique_id";
  if (rule.rule === "date_shift") return "person_date";
  return "unique_id";
}

const clip = (s: string) => ([...s].length > MAX_SHOWN ? `${[...s].slice(0, MAX_SHOWN - 1).join("")}…` : s);

/**
 * The rule saved for a column in the workflow's current version, and the workflow's source: what
 * roles that may not see connections preview (never a rule sent by the browser).
 */
export async function savedPreviewRule(opts: { db?: Db; orgId: string; workflowId: string | undefined; schema: string; table: string; column: string }): Promise<{ connectionId: string; rule: TRule }> {
  if (!opts.workflowId) throw new AppError("VALIDATION", "Save the workflow first: previews show the saved rules.");
  const wf = await getWorkflow({ db: opts.db, orgId: opts.orgId, workflowId: opts.workflowId });
  if (!wf.config) throw new AppError("CONFLICT", "This workflow's saved configuration cannot be read, so there is no saved rule to preview.");
  const rule = wf.config.tables.find((t) => t.schema === opts.schema && t.table === opts.table)?.rules[opts.column];
  if (!rule) throw new AppError("VALIDATION", `${opts.schema}.${opts.table}.${opts.column} has no saved rule to preview.`);
  return { connectionId: wf.config.sourceConnectionId, rule };
}

/** loadConnection (the worker's loader) on the web app's Prisma client. */
export const viaPrisma = (db: Db): Queryable => ({
  query: async (text: string, values: unknown[] = []) => {
    const rows = await db.$queryRawUnsafe<never[]>(text, ...values);
    return { rows, rowCount: rows.length };
  },
});

export async function previewColumn(opts: {
  db?: Db;
  orgId: string;
  connectionId: string;
  schema: string;
  table: string;
  column: string;
  rule: TRule;
  reveal: boolean;
  /** The caller may not see source values: withhold any "after" that gives its original away. */
  guard: boolean;
}): Promise<ColumnPreview> {
  const db = opts.db ?? prisma;
  const [conn, org] = await Promise.all([
    db.connection.findFirst({ where: { id: opts.connectionId, orgId: opts.orgId }, select: { kind: true, introspection: true } }),
    db.organization.findUnique({ where: { id: opts.orgId }, select: { hashSaltEnc: true } }),
  ]);
  if (!conn || !org) throw notFound("That connection");
  if (conn.kind !== "POSTGRES") throw new AppError("VALIDATION", "Previews read from a PostgreSQL source.");
  const intro = readIntrospection(conn.introspection);
  const col = intro && findTable(intro, opts.schema, opts.table)?.columns.find((c) => c.name === opts.column);
  if (!col) throw new AppError("NOT_FOUND", `Column ${opts.schema}.${opts.table}.${opts.column} is not in the source's table list. Refresh the table list.`);
  const misfit = checkRuleFits(opts.rule, col);
  if (misfit) throw new AppError("VALIDATION", misfit);

  const loaded = await loadConnection(viaPrisma(db), opts.orgId, opts.connectionId).catch((err) => {
    throw err instanceof JobFailure ? new AppError("CONFLICT", `${err.message}${err.hint ? ` ${err.hint}` : ""}`) : err;
  });
  if (loaded.kind !== "POSTGRES") throw new AppError("VALIDATION", "Previews read from a PostgreSQL source.");
  let salt: Buffer;
  try {
    salt = Buffer.from(decryptSecret(org.hashSaltEnc), "utf8");
  } catch {
    throw new AppError("CONFLICT", "The organisation's hashing salt cannot be decrypted with this server's key.");
  }

  let values: string[];
  const client = await openSession(loaded.pg, "source", { connectTimeoutMs: 8000 }).catch((err) => {
    throw asAppError(err);
  });
  try {
    await client.query("SET statement_timeout = 5000");
    // Raw text as PostgreSQL outputs it (what COPY gives the rules), not pg's parsed values.
    const res = await client.query<{ v: string }>({
      text: `SELECT ${qi(col.name)} AS v FROM ${qname(opts.schema, opts.table)} WHERE ${qi(col.name)} IS NOT NULL LIMIT ${PREVIEW_ROWS}`,
      types: { getTypeParser: () => (v: string) => v },
    });
    values = res.rows.map((r) => r.v);
  } catch (err) {
    throw asAppError(err);
  } finally {
    await closeSession(client);
  }

  const redact = compileRule(opts.rule, col, { salt });
  const category = categoryFor(opts.rule);
  const rows = values.map((v) => {
    let after: string | null;
    try {
      after = opts.rule.rule === "shuffle" ? "(another row's value)" : redact(v);
    } catch (err) {
      after = `(cannot redact this value: ${(err as Error).name === "RedactionError" ? (err as Error).message : "unexpected value"})`;
    }
    const before = clip(opts.reveal ? v : maskExample(category, v) || "•••");
    if (opts.guard && givesAwayOriginal(v, after)) return { before, after: null, withheld: true as const };
    return { before, after: after === null ? null : clip(after) };
  });
  return { rows, revealed: opts.reveal, note: rows.length === 0 ? "This column has no values (all NULL or the table is empty)." : null };
}

function asAppError(err: unknown): AppError {
  if (err instanceof EngineError) return new AppError("CONFLICT", `${err.message}${err.hint ? ` ${err.hint}` : ""}`);
  const e = err as { code?: string };
  if (e.code === "57014") return new AppError("CONFLICT", "Reading the sample took too long (over 5 s). Try again later.");
  if (e.code === "42P01" || e.code === "42703") return new AppError("CONFLICT", "The table or column no longer exists in the source. Refresh the table list.");
  if (e.code === "42501") return new AppError("CONFLICT", "The source user may not read this table. Grant it SELECT.");
  return new AppError("CONFLICT", "The sample could not be read from the source. Test the connection and try again.");
}
