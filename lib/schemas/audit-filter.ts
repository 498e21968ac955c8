import { z } from "zod";

// The audit log's filter, read from the URL's search params by the audit page and by its CSV
// export (so a filtered view can be linked, and the export holds exactly the rows on screen).
// A value that does not parse is dropped rather than refused: a hand-edited link still opens.

const day = /^\d{4}-\d{2}-\d{2}$/;
const ZDay = z
  .string()
  .regex(day)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));

export const ZAuditFilter = z.object({
  /** A user id (the log records who acted by id; the label is their email at the time). */
  actor: z.uuid().optional().catch(undefined),
  /** An action code such as `member.role_changed`. */
  action: z.string().regex(/^[a-z_]+\.[a-z_]+$/).optional().catch(undefined),
  /** First UTC day shown (YYYY-MM-DD), inclusive. */
  from: ZDay.optional().catch(undefined),
  /** Last UTC day shown (YYYY-MM-DD), inclusive. */
  to: ZDay.optional().catch(undefined),
});
export type TAuditFilter = z.infer<typeof ZAuditFilter>;

/** First value of each key, as Next.js hands search params to a page (string | string[]). */
export function parseAuditFilter(params: Record<string, string | string[] | undefined> | URLSearchParams): TAuditFilter {
  const get = (k: string) => (params instanceof URLSearchParams ? (params.get(k) ?? undefined) : [params[k]].flat()[0]);
  return ZAuditFilter.parse({ actor: get("actor") || undefined, action: get("action") || undefined, from: get("from") || undefined, to: get("to") || undefined });
}

/** The filter as a query string (no leading "?"); empty values are left out. */
export function auditFilterQuery(filter: TAuditFilter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...filter, ...extra })) if (v) q.set(k, v);
  return q.toString();
}
