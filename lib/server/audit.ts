import type { Queryable } from "../jobs/db";
import { prisma, type Db } from "./db";

// The audit trail: who did what, when. Targets are emails/names/roles — never tokens,
// passwords or secrets (callers pass only such labels). Written through Prisma, or through a pg
// client (`Queryable`) when the entry must commit with the queue's own SQL (a run started, in
// the same transaction as its job).

export const AUDIT_ACTIONS = {
  "auth.sign_up": "Signed up",
  "auth.sign_in": "Signed in",
  "auth.sign_in_failed": "Failed sign-in",
  "auth.email_verified": "Verified their email address",
  "org.created": "Created the organisation",
  "org.renamed": "Renamed the organisation",
  "org.unreviewed_columns_changed": "Changed what runs do with new, unreviewed source columns to",
  "invite.sent": "Invited",
  "invite.resent": "Re-sent invite to",
  "invite.revoked": "Revoked invite for",
  "invite.accepted": "Joined through an invite",
  "member.role_changed": "Changed role of",
  "member.removed": "Removed member",
  "member.left": "Left the organisation",
  "org.ownership_transferred": "Transferred ownership to",
  "api_key.created": "Created API key",
  "api_key.revoked": "Revoked API key",
  "connection.created": "Added connection",
  "connection.updated": "Changed connection",
  "connection.deleted": "Deleted connection",
  "workflow.created": "Created workflow",
  "workflow.updated": "Saved a new version of workflow",
  "workflow.deleted": "Deleted workflow",
  "workflow.rule_added": "Added a suggested rule to",
  "workflow.rules_added": "Added the PII scanner's suggested rules to workflow",
  "workflow.customization_saved": "Saved a customization of",
  "workflow.customization_deleted": "Deleted a customization of",
  "run.started": "Started a run of workflow",
  "run.canceled": "Cancelled run",
  "demo.reset": "Reset the demo of workflow",
} as const;
// A closed set: a new audited action needs its label here (the type-check enforces it).
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export type AuditEntry = {
  orgId: string | null;
  actor: { id: string | null; label: string };
  action: AuditAction;
  target?: string | null;
  details?: Record<string, string | number | boolean | null>;
};

// `prisma` is a lazy Proxy (db.ts): ask for the method, not `in`.
const isQueryable = (db: Db | Queryable): db is Queryable => typeof (db as { query?: unknown }).query === "function";

export async function recordAudit(entry: AuditEntry, db: Db | Queryable = prisma): Promise<void> {
  if (isQueryable(db)) {
    await db.query(
      `INSERT INTO audit_logs (id, org_id, actor_id, actor_label, action, target, details) VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3, $4, $5, $6::jsonb)`,
      [entry.orgId, entry.actor.id, entry.actor.label, entry.action, entry.target ?? null, entry.details ? JSON.stringify(entry.details) : null],
    );
    return;
  }
  await db.auditLog.create({
    data: {
      orgId: entry.orgId,
      actorId: entry.actor.id,
      actorLabel: entry.actor.label,
      action: entry.action,
      target: entry.target ?? null,
      details: entry.details ?? undefined,
    },
  });
}
