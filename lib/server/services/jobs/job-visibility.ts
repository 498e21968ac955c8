import type { JobKind, Role } from "../../../../generated/prisma/enums";
import { can } from "../../permissions";

// Who sees what a job logged and reported. A clone's report and log are about the twin
// (tables, row counts) and are for everyone who may read jobs. The connection jobs (test,
// table list, PII scan) log and report what only roles that may see connections may see:
// "Connected to PostgreSQL 16 as app_user", host names in errors, scan findings. Others see
// the status only. Used by the job page, its poll and the /api/v1 run API.

export function canSeeJobDetails(role: Role, kind: JobKind): boolean {
  return kind === "CLONE" || can(role, "connection", "read");
}

/** Stands in for a hidden job's error: that it failed, not why. */
export function hiddenJobError(code: string) {
  return { code, message: "This check failed.", hint: "An admin can see why on the connection's page." };
}
