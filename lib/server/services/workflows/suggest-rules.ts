import { JobFailure } from "../../../jobs/errors";
import { loadConnection } from "../../../jobs/load-connection";
import { EngineError } from "../../../pipeline/errors";
import { confidenceWords, describeFinding } from "../../../pii/describe-finding";
import { runPiiScan } from "../../../pii/scan";
import type { TPiiCategory } from "../../../pii/types";
import type { TRule } from "../../../schemas/rules";
import { prisma, type Db } from "../../db";
import { AppError, notFound } from "../../errors";
import { viaPrisma } from "./preview-column";

// The editor's scanner: when tables are chosen, sample them with the PII scanner's own read-only
// scan (lib/pii/scan.ts), bounded in time, and hand back per column that looks personal its
// category, confidence in words and the suggested rule. Only masked words leave: no sampled value.

/** Seconds the editor waits for suggestions at most; tables not sampled by then are listed as skipped. */
export const SUGGEST_BUDGET_MS = 4000;

export type RuleSuggestion = {
  schema: string;
  table: string;
  column: string;
  category: TPiiCategory;
  confidence: number;
  /** "looks like email addresses, 200 of 200 samples". */
  words: string;
  /** "very likely", "likely", "possibly". */
  certainty: string;
  suggestedRule: TRule | null;
};
export type RuleSuggestions = { suggestions: RuleSuggestion[]; skipped: { schema: string; table: string; reason: string }[]; durationMs: number };

export async function suggestRules(opts: { db?: Db; orgId: string; connectionId: string; tables: { schema: string; table: string }[] }): Promise<RuleSuggestions> {
  const db = opts.db ?? prisma;
  if (opts.tables.length === 0) return { suggestions: [], skipped: [], durationMs: 0 };
  const conn = await db.connection.findFirst({ where: { id: opts.connectionId, orgId: opts.orgId }, select: { kind: true } });
  if (!conn) throw notFound("That connection");
  if (conn.kind !== "POSTGRES") throw new AppError("VALIDATION", "Suggestions are read from a PostgreSQL source.");
  const loaded = await loadConnection(viaPrisma(db), opts.orgId, opts.connectionId, { kind: "POSTGRES", role: "source" }).catch((err) => {
    throw err instanceof JobFailure ? new AppError("CONFLICT", `${err.message}${err.hint ? ` ${err.hint}` : ""}`) : err;
  });
  const started = Date.now();
  const result = await runPiiScan(loaded.pg, { tables: opts.tables, budgetMs: SUGGEST_BUDGET_MS, statementTimeoutMs: 2000, lockTimeoutMs: 500 }).catch((err) => {
    if (err instanceof EngineError) throw new AppError("CONFLICT", `The source could not be sampled for suggestions: ${err.message}${err.hint ? ` ${err.hint}` : ""}`);
    throw err;
  });
  const suggestions = result.tables.flatMap((t) => t.columns.map((c) => ({
    schema: t.schema, table: t.table, column: c.column, category: c.category, confidence: c.confidence,
    words: describeFinding(c), certainty: confidenceWords(c.confidence), suggestedRule: c.suggestedRule,
  })));
  return { suggestions, skipped: result.skipped.filter((s) => !s.column).map(({ schema, table, reason }) => ({ schema, table, reason })), durationMs: Date.now() - started };
}
