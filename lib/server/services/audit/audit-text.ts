import { AUDIT_ACTIONS } from "../../audit";

// Words for an audit entry, shared by the audit page and its CSV export.

export function describeAuditAction(action: string): string {
  return (AUDIT_ACTIONS as Record<string, string>)[action] ?? action.replace(/[._]/g, " ");
}

/** "viewer → admin", "as editor": the change an entry records, in words ("" when there is none). */
export function auditDetailText(details: unknown): string {
  if (!details || typeof details !== "object") return "";
  const d = details as Record<string, unknown>;
  if (typeof d.from === "string" && typeof d.to === "string") return `${d.from.toLowerCase()} → ${d.to.toLowerCase()}`;
  if (typeof d.role === "string") return `as ${d.role.toLowerCase()}`;
  return "";
}

// Details keys that may leave the app in an export. An allow-list, so a key added to some
// recordAudit call later is left out until someone decides it is safe: today's details also
// hold an API key's prefix (`prefix`), which is part of the key and stays on the server.
const EXPORTED_DETAILS = ["from", "to", "role", "kind", "version", "draft", "secretReplaced", "field", "workflowId"] as const;

/** The allowed details as "key=value; key=value" (values are labels, ids, numbers or flags). */
export function exportableAuditDetails(details: unknown): string {
  if (!details || typeof details !== "object" || Array.isArray(details)) return "";
  const d = details as Record<string, unknown>;
  return EXPORTED_DETAILS.filter((k) => ["string", "number", "boolean"].includes(typeof d[k]))
    .map((k) => `${k}=${String(d[k])}`)
    .join("; ");
}
