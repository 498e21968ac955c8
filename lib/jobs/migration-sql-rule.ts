// The migration dry-run rule, written once: a migration dry-run workflow runs only with migration
// SQL, and only such a workflow takes it. Checked before a run is queued (startRun, for the page,
// run again and the API) and again by the worker for runs nobody asked for in person (schedules).

export type MigrationSqlProblem = { kind: "MISSING" | "UNEXPECTED"; message: string; hint: string };

export function migrationSqlProblem(migrationDryRun: boolean, migrationSql: unknown): MigrationSqlProblem | null {
  const hasSql = typeof migrationSql === "string" && migrationSql.length > 0;
  if (migrationDryRun && !hasSql) {
    return { kind: "MISSING", message: "This is a migration dry-run workflow, but the run has no migration SQL.", hint: "Start it from CI with `doppel run --migration-file x.sql`, or send `migrationSql` to the run API." };
  }
  if (!migrationDryRun && hasSql) {
    return { kind: "UNEXPECTED", message: "This workflow is not a migration dry-run workflow.", hint: "Turn that on in the workflow settings to send migration SQL." };
  }
  return null;
}
