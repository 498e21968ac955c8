// A run's state in words for its page: what the engine is doing now (phase), and the step a
// failed run stopped at (from its error code, else the phase it was in).

export const PHASE_NOW: Record<string, string> = {
  introspecting: "Reading the source's tables",
  copying: "Copying and redacting",
  indexing: "Building indexes and keys",
  privacy_check: "Checking that no source value leaked",
  swapping: "Swapping the new copy into place",
  customizing: "Applying customizations",
  uploading: "Uploading to S3",
  done: "Finishing",
};

const STEP_OF_CODE: Record<string, string> = {
  INVALID_DEFINITION: "reading the workflow",
  INVALID_INPUT: "reading the workflow",
  SECRET_UNREADABLE: "reading the connections",
  SOURCE_UNREACHABLE: "connecting to the source",
  SOURCE_AUTH_FAILED: "signing in to the source",
  SOURCE_DATABASE_MISSING: "connecting to the source",
  SOURCE_BUSY: "reading the source",
  TARGET_UNREACHABLE: "connecting to the target",
  TARGET_AUTH_FAILED: "signing in to the target",
  TARGET_DATABASE_MISSING: "connecting to the target",
  TARGET_BUSY: "waiting for another run into the same target",
  TLS_REQUIRED: "connecting",
  EGRESS_REFUSED: "connecting",
  PERMISSION_DENIED: "reading the source",
  TABLE_MISSING: "reading the source's tables",
  COLUMN_MISSING: "reading the source's tables",
  UNREVIEWED_COLUMNS: "checking that every column is reviewed",
  EXTENSION_MISSING: "creating the tables in the target",
  TARGET_DDL_FAILED: "creating the tables in the target",
  TARGET_REJECTED_ROW: "copying rows into the target",
  FK_SUBSET_IMPOSSIBLE: "choosing the rows to copy",
  PRIVACY_CHECK_FAILED: "checking that no source value leaked",
  CUSTOMIZATION_FAILED: "applying the customizations",
  S3_FAILED: "uploading to S3",
  MIGRATION_FAILED: "applying the migration",
};

const STEP_OF_PHASE: Record<string, string> = {
  introspecting: "reading the source's tables",
  copying: "copying the tables",
  indexing: "building indexes and keys",
  privacy_check: "checking that no source value leaked",
  swapping: "swapping the new copy into place",
  customizing: "applying the customizations",
  uploading: "uploading to S3",
};

/** "applying the customizations", "copying public.orders"; null when nothing says where. */
export function failedStep(code: string | undefined, phase: string | null | undefined, failedTable?: string): string | null {
  if (failedTable && (!code || !STEP_OF_CODE[code] || code === "TARGET_REJECTED_ROW")) return `copying ${failedTable}`;
  return (code && STEP_OF_CODE[code]) ?? (phase && STEP_OF_PHASE[phase]) ?? null;
}

export const TABLE_PHASE_LABELS: Record<string, string> = { queued: "Queued", copying: "Copying", indexing: "Indexing", done: "Done", failed: "Failed" };
