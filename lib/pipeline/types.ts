// The engine's public contract, used by the workers (lib/jobs, workers/) and the CLI.
// Implementation: lib/pipeline/run-clone.ts. No Next.js imports anywhere in lib/pipeline.

export type TableProgress = {
  schema: string;
  table: string;
  phase: "queued" | "copying" | "indexing" | "done" | "failed";
  rowsDone: number;
  bytesDone: number;
  /** From pg_class.reltuples (or the filtered estimate); null when unknown. */
  rowsEstimate: number | null;
};

export type ProgressEvent =
  | { type: "tables"; tables: TableProgress[] }
  | { type: "table"; table: TableProgress }
  | { type: "phase"; phase: "introspecting" | "copying" | "indexing" | "privacy_check" | "swapping" | "customizing" | "uploading" | "done" }
  | { type: "log"; level: "info" | "warn" | "error"; message: string };

/** `rule` is the rule id; `description` the rule with its options in words (describeRule; absent in reports of older runs). */
export type ColumnRuleReport = { column: string; rule: string; description?: string; detail?: string };

export type TableReport = {
  schema: string;
  table: string;
  rowsRead: number;
  rowsWritten: number;
  /** Rows left out by the table's time-window filter (estimate from the source count). */
  rowsFiltered: number;
  /** Extra parent rows kept so that foreign keys from filtered children stay valid. */
  rowsKeptForReferences: number;
  bytes: number;
  durationMs: number;
  mode: "full" | "delta";
  /** Delta-enabled targets: why the table was read in full (first run, no change column, schema changed...). */
  fullReason?: string;
  /** Delta-enabled targets: rows inserted into, updated in (values changed) and deleted from the twin table. A full copy counts its rows as inserted. */
  rowsInserted?: number;
  rowsUpdated?: number;
  rowsDeleted?: number;
  /** Delta-enabled targets: the watermark changes were read from (null: all rows; the read starts `overlapSeconds` earlier) and the one the next run reads from. */
  watermark?: { from: string | null; to: string };
  rules: ColumnRuleReport[];
};

/** What a delta-enabled target's next run needs of this one, per table; the caller persists it once the run succeeded. */
export type DeltaTableState = {
  schema: string; table: string; fingerprint: string; watermark: string;
  /** The run snapshot's xmin (xid8 text): tables with `delta.xmin` read rows written by transactions from this one on. */
  snapshotXmin?: string;
};

export type PrivacyCheckReport = {
  /** No sampled source value was found in the output of the checked columns. Read with `unchecked`:
   *  redacted columns that could not be checked are listed in `columns` as "skipped", with the reason. */
  passed: boolean;
  columnsChecked: number;
  /** Redacted columns that were not checked (shuffle by design, or no key to find rows again). */
  unchecked?: number;
  valuesChecked: number;
  /** Columns (never values) where a source value was found in the output. */
  leaks: { schema: string; table: string; column: string; output: "target" | "s3"; count: number }[];
  /** What was checked per redacted column: "values" (no sampled value anywhere in the output column),
   *  "rows" (sampled rows, found by an unredacted key, changed) or "skipped" (with the reason). */
  columns?: { schema: string; table: string; column: string; method: "values" | "rows" | "skipped"; values: number; reason?: string }[];
};

export type S3ObjectReport = { key: string; bytes: number; sha256: string; rows: number };

export type CloneReport = {
  tables: TableReport[];
  privacyCheck: PrivacyCheckReport;
  outputs: {
    target?: { database: string; schemas: string[] };
    s3?: { bucket: string; prefix: string; manifestKey: string; objects: S3ObjectReport[] };
  };
  customizations: { name: string; rowsAffected: number }[];
  /** The customization values the run used, by parameter (added by the clone job, which knows the workflow's saved values); absent on older runs. */
  valuesUsed?: { name: string; label: string; value: string | number | boolean | null }[];
  /** Columns nobody has reviewed, copied as NULL (review policy "null"); absent when none. */
  unreviewedNulled?: { schema: string; table: string; columns: string[] }[];
  /** Schema objects left out (e.g. a view over an unselected table) and why. */
  skipped: { kind: string; name: string; reason: string }[];
  totals: { rowsRead: number; rowsWritten: number; bytes: number; durationMs: number };
  /** Delta-enabled targets: whether this run applied changes ("delta") or copied everything ("full", with why), and the state for the next run. */
  delta?: { run: "full" | "delta"; reason?: string; tables: DeltaTableState[] };
};

export type CloneRunOptions = {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Called on the target inside the swap transaction, right before COMMIT. The worker uses it
   * to check that it still holds its claim on the job (fencing); throwing aborts the swap and
   * leaves the previous target intact.
   */
  beforeSwapCommit?: () => Promise<void>;
  /** Values for the customizations' named parameters, by parameter name. */
  customizationValues?: Record<string, string | number | boolean | null>;
  /**
   * Added to the application_name of every session of the run (e.g. the job and claim id), so an
   * operator can tell from pg_stat_activity whose run holds a lock. Never put secrets here.
   */
  applicationName?: string;
  /** Delta-enabled targets: the `delta.tables` of the last successful run's report into this target (none: the run copies in full). */
  deltaState?: DeltaTableState[];
  /** How long to wait for another run into the same target database before failing with TARGET_BUSY (default 10 minutes). */
  targetLockTimeoutMs?: number;
  /** How long any source session of the run waits for a table lock (a schema change in progress) before failing with SOURCE_BUSY (default 30 s). */
  sourceLockTimeoutMs?: number;
};

/** Errors the engine raises carry a closed code, a message naming tables/columns (never values) and a hint. */
export type EngineErrorCode =
  | "INVALID_DEFINITION"
  | "SOURCE_UNREACHABLE"
  | "SOURCE_AUTH_FAILED"
  | "SOURCE_DATABASE_MISSING"
  | "TARGET_UNREACHABLE"
  | "TARGET_AUTH_FAILED"
  | "TARGET_DATABASE_MISSING"
  /** Another run into the same target database held its lock past the deadline (transient: retried). */
  | "TARGET_BUSY"
  /** A source table stayed locked by another session (DDL) past the lock timeout (transient: retried). */
  | "SOURCE_BUSY"
  | "TLS_REQUIRED"
  /** The host is internal (loopback, private, link-local, a socket...) and not in DOPPEL_EGRESS_ALLOW (lib/egress). */
  | "EGRESS_REFUSED"
  | "PERMISSION_DENIED"
  | "TABLE_MISSING"
  /** A column that a rule or a time window names is no longer in the source (dropped or renamed). */
  | "COLUMN_MISSING"
  /** Source columns nobody has reviewed (review policy "fail", or "null" on a NOT NULL column). */
  | "UNREVIEWED_COLUMNS"
  | "EXTENSION_MISSING"
  | "TARGET_REJECTED_ROW"
  /** The target refused a definition (a missing type, schema, function...); the message carries the server's own words, which hold names only. */
  | "TARGET_DDL_FAILED"
  | "FK_SUBSET_IMPOSSIBLE"
  | "PRIVACY_CHECK_FAILED"
  | "CUSTOMIZATION_FAILED"
  | "S3_FAILED"
  | "CANCELED"
  | "INTERNAL";
