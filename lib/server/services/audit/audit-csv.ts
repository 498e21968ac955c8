import { auditDetailText, describeAuditAction, exportableAuditDetails } from "./audit-text";
import type { AuditLogEntry } from "./list-audit-log";

// The audit log as CSV (RFC 4180: CRLF rows, fields with a quote, comma or line break quoted,
// quotes doubled). Targets and labels are typed by users (names, emails), so a cell that a
// spreadsheet would read as a formula (= + - @, or a tab/CR before one) gets a leading
// apostrophe: the OWASP "CSV injection" guard.

export const AUDIT_CSV_HEADER = ["When (UTC)", "Who", "Action", "What", "Target", "Change", "Details"];

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(cells: string[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

export function auditCsvLine(e: AuditLogEntry): string {
  return csvLine([e.createdAt.toISOString(), e.actorLabel, e.action, describeAuditAction(e.action), e.target ?? "", auditDetailText(e.details), exportableAuditDetails(e.details)]);
}
