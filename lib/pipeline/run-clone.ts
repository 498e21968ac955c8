import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import type pg from "pg";
import type { S3Client } from "@aws-sdk/client-s3";
import { ZWorkflowDefinition, formatIssues, type TWorkflowDefinition, type TWorkflowDefinitionInput } from "../schemas/workflow";
import { fromItem, readCatalog, type Catalog, type CatalogConstraint } from "./catalog";
import { closeSession, openSession, qi, ql, qname } from "./connect";
import { canCopyBinary, copyUnitToTarget, redactionThreads, runPipeline, sourceStages, type CopyCounters } from "./copy-table";
import { createCopyToCsv } from "./copy-to-csv";
import { customizationGrammarErrors } from "./customization-grammar";
import { readDependencySchemas } from "./dependency-schemas";
import { DEFAULT_SOURCE_LOCK_TIMEOUT_MS, lockSourceTables, lockTimeoutStatement } from "./source-locks";
import { prepareCustomizations } from "./customizations";
import { classifyPgError, EngineError, runCanceled, withStatement } from "./errors";
import { buildPlan, type ClonePlan, type CopyUnit } from "./plan";
import { runTaskPool } from "./task-pool";
import { checkTarget, createStreamChecker, sampleUnit, summarize, type LeakCount, type UnitSample } from "./privacy-check";
// The AWS SDK is loaded only by runs with an S3 output (it is a large share of the baseline memory).
type S3Lib = typeof import("./s3-output");
import * as fidelity from "./schema-objects";
import {
  describeStatement, foreignKeyStatement, indexTasks, preDataStatements, sequenceInClone, sequenceOwnershipStatements, setvalStatement, stagingNames, type IndexTask, type Staging,
} from "./staging-ddl";
import { swapIntoPlace } from "./swap";
import { acquireLock, backendPid, DEFAULT_TARGET_LOCK_TIMEOUT_MS, dropLeftovers, refuseSameDatabase, waitGone } from "./target-lock";
import { buildCloneReport, type CopyResult } from "./clone-report";
import type { CloneReport, CloneRunOptions, PrivacyCheckReport, ProgressEvent, S3ObjectReport, TableProgress } from "./types";
import { applyReviewPolicy, listColumns, markNulled, type ReviewOutcome } from "./review-policy";
import { checkAgainstCatalog } from "./check-against-catalog";
import { SOURCE_PRIMARY_KEY, validateCustomizations } from "./validate-definition";
import { changedRowsUnit, keysUnit, planDelta, readWatermark, sourcePrimaryKeyColumnDdl, type DeltaPlan, type SnapshotXids } from "./delta-plan";
import { applyDelta, deltaStagingStatements, type StagedDelta } from "./delta-apply";
import { deletedKeys } from "./delta-keys";
import { StepTimings } from "./step-timings";

// The clone-redact-load engine. `Run.execute` calls one function per phase, in this order:
//   startSnapshot    source: a REPEATABLE READ READ ONLY transaction exports a snapshot and locks
//                    the selected tables; the catalog, the privacy samples, row counts and every
//                    table copy read that same snapshot;
//   planClone        the catalog of the tables' schemas (and those they depend on), the review
//                    policy and the copy plan (plan.ts); the schema objects when there is a target
//                    (a delta-enabled one reads them only when its run turns out to be a full run);
//   prepareTarget    under an advisory lock (runs into one target serialize): leftovers of failed
//                    runs dropped, the target's roles and version read, its extensions checked;
//   createStaging    staging schemas with types, functions the tables use, sequences, bare tables;
//   checkBucket      the S3 bucket answers (nothing is written before every check above passed);
//   openCopySessions readers joining the snapshot, writers on the target;
//   startSideReads   privacy samples and window counts, queued on the snapshot's own session;
//   copyTables       one task queue on `parallelism` sessions: each table's copy, then its keys and
//                    indexes (buildIndex) while larger tables still copy, then foreign keys
//                    (addForeignKey) once both tables have their keys;
//   finishSequences  sequence ownership and current values;
//   checkPrivacy     the staged data (and the S3 files, checked while they streamed) against the samples;
//   endSnapshot      the window counts collected, the snapshot closed;
//   writeManifest    the S3 manifest, before the swap;
//   swap             one short transaction: previous schemas renamed away, staging into place, column
//                    defaults, schema objects (views, functions, triggers...), customizations, the
//                    caller's fencing check, COMMIT; then the previous schemas dropped.
// A delta-enabled target (outputs.target.delta) reads a watermark before the snapshot and, after
// prepareTarget, decides per table (planDelta, delta-plan.ts); when the run can be a delta run,
// `executeDelta` replaces the phases from createStaging on: stageDelta (unlogged staging tables,
// while openDeltaSessions opens the sessions), copyDelta (changed rows, then source keys), and
// applyDelta (one target transaction, delta-apply.ts) as soon as the rows are staged, beside the key
// reads, the privacy samples and checkPrivacy, which it waits for before the COMMIT; endSnapshot once
// the keys are read. Otherwise the full run above adds source_primary_key to the twin.
// Helpers by phase: source-locks.ts and dependency-schemas.ts (snapshot), target-lock.ts (guards
// before writing), staging-ddl.ts (staging DDL, indexes, keys), copy-table.ts (one table's stream),
// privacy-check.ts, swap.ts and swap-statements.ts, s3-output.ts, clone-report.ts.
// Any failure or cancellation before the COMMIT drops the staging schemas: the previous target
// is untouched. The objects (and the manifest) of a run that fails before its outputs are in
// place are deleted.

export const DEFAULT_PARALLELISM = 2;
export { DEFAULT_TARGET_LOCK_TIMEOUT_MS };
const MAINTENANCE_WORK_MEM = "512MB";
const PROGRESS_INTERVAL_MS = 250;

type Customizations = ReturnType<typeof prepareCustomizations>;
type Skipped = CloneReport["skipped"][number];

/** What the run read on the source snapshot and planned from it. */
type SourcePlan = {
  snapshot: string;
  catalog: Catalog;
  review: ReviewOutcome;
  plan: ClonePlan;
  /** Schema objects (views, functions...), read when there is a target (for a delta-enabled one only once the run turns out to be a full run). */
  objects: fidelity.SchemaObjects | null;
  /** Not copied: tables' dependencies outside the clone and what the plan leaves out. */
  skipped: Skipped[];
};

type SideReads = {
  samples: Map<CopyUnit, Promise<UnitSample | null>>;
  windowCounts: Map<CopyUnit, Promise<{ total: number; inWindow: number }>>;
};

type S3Leaks = { sample: UnitSample; output: "s3"; leaks: LeakCount[] }[];

type Copied = { results: Map<CopyUnit, CopyResult>; s3Objects: Map<CopyUnit, S3ObjectReport>; s3Leaks: S3Leaks };

type SequenceValue = { schema: string; name: string; value: string; isCalled: boolean };

type Task = { priority: number; copy?: CopyUnit; index?: IndexTask; fk?: CatalogConstraint };

export async function runClone(definition: TWorkflowDefinitionInput | TWorkflowDefinition, opts: CloneRunOptions = {}): Promise<CloneReport> {
  const started = Date.now();
  const parsed = ZWorkflowDefinition.safeParse(definition);
  if (!parsed.success) throw new EngineError("INVALID_DEFINITION", `The workflow is not valid:\n${formatIssues(parsed.error).join("\n")}`, "Correct the fields named above.");
  const def = parsed.data;
  const custProblems = [...validateCustomizations(def.customizations), ...await customizationGrammarErrors(def.customizations)];
  if (custProblems.length) throw new EngineError("INVALID_DEFINITION", custProblems.map((p) => p.message).join("\n"), "Correct the customizations.");
  const customizations = prepareCustomizations(def.customizations, opts.customizationValues);

  const controller = new AbortController();
  setMaxListeners(64, controller.signal);
  const onOuterAbort = () => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) throw new EngineError("CANCELED", "The run was cancelled before it started.");
  opts.signal?.addEventListener("abort", onOuterAbort, { once: true });
  const run = new Run(def, opts, controller);
  try {
    return await run.execute(customizations, started);
  } catch (err) {
    const e = opts.signal?.aborted ? runCanceled(err)
      : err instanceof EngineError ? err : new EngineError("INTERNAL", "The clone failed unexpectedly.", "Run the workflow again; if it keeps failing, contact support with the job id.", { cause: err });
    controller.abort(e);
    await run.cleanupAfterFailure();
    run.emit({ type: "log", level: "error", message: e.message });
    throw e;
  } finally {
    opts.signal?.removeEventListener("abort", onOuterAbort);
    await run.closeAll();
  }
}

class Run {
  readonly runId = randomBytes(4).toString("hex");
  private coordinator: pg.Client | null = null;
  private control: pg.Client | null = null;
  /** The control session while it opens (execute starts it early). */
  private controlOpening: Promise<pg.Client> | null = null;
  private readers: pg.Client[] = [];
  private writers: pg.Client[] = [];
  private targetPids: number[] = [];
  /** Set when the staging schemas are about to be created: from then on a failure drops them. */
  private staging: Staging | null = null;
  /** Every output is in place (the swap committed; without a target, the manifest written and no cancel since): nothing is undone after this. */
  private published = false;
  private s3: S3Client | null = null;
  private s3lib: S3Lib | null = null;
  private uploadedKeys: string[] = [];
  private progress = new Map<string, TableProgress>();
  private lastEmit = new Map<string, number>();
  private phaseStarted = { phase: "", at: Date.now() };
  /** Delta runs: the staging table each read unit is loaded into (for the privacy check). */
  private deltaStaged = new Map<CopyUnit, string>();
  /** Delta-enabled targets: what planDelta decided (the full path adds source_primary_key). */
  private delta: DeltaPlan | null = null;
  /** Wall time per step, logged at the end of the run (step-timings.ts). */
  private steps = new StepTimings();

  constructor(private def: TWorkflowDefinition, private opts: CloneRunOptions, private controller: AbortController) {}

  private get signal(): AbortSignal {
    return this.controller.signal;
  }

  async execute(customizations: Customizations, started: number): Promise<CloneReport> {
    const target = this.def.outputs.target;
    // The target's session opens while the source's snapshot and catalog are read (nothing is sent on it before prepareTarget).
    if (target) this.controlOpening = this.open("target");
    this.controlOpening?.catch(() => {});
    const source = await this.startSnapshot();
    const planned = await this.planClone(source.now);
    const src: SourcePlan = { snapshot: source.snapshot, ...planned };
    this.announceTables(src);
    const targetInfo = target ? await this.steps.time("target guards", () => this.prepareTarget(src)) : null;
    if (target?.delta && source.watermark) {
      this.delta = await this.steps.time("twin state", () => this.targetQuery((c) => planDelta(c, this.def, src.plan, this.opts.deltaState, source.watermark!, source.xids!), "reading the twin's delta state"));
      if (!this.delta.wholeRunReason && this.def.outputs.s3) this.delta.wholeRunReason = "an S3 output needs every row";
      if (this.delta.wholeRunReason) this.emit({ type: "log", level: "info", message: `Full copy: ${this.delta.wholeRunReason}.` });
      else return this.executeDelta(src, this.delta, targetInfo!, customizations, started);
    }
    if (target && !src.objects) await this.readObjectsForFullRun(src);
    if (targetInfo) await this.steps.time("staging", () => this.createStaging(src, targetInfo));
    await this.checkBucket();
    this.checkAborted();

    await this.steps.time("sessions", () => this.openCopySessions(src));
    const side = this.startSideReads(src.plan);
    const copied = await this.steps.time("copy", () => this.copyTables(src, targetInfo, side));
    this.checkAborted();
    if (target) await this.steps.time("sequences", () => this.finishSequences(src.plan, src.catalog));
    const privacyCheck = await this.steps.time("privacy check", () => this.checkPrivacy(src.plan, side, copied.s3Leaks));
    const counts = await this.steps.time("end snapshot", () => this.endSnapshot(side));
    const s3Report = await this.writeManifest(src.plan, copied.s3Objects);
    this.checkAborted();

    const swapped = targetInfo ? await this.steps.time("swap", () => this.swap(src, customizations, targetInfo)) : { customizations: [], skipped: src.skipped };
    this.published = true;
    this.emit({ type: "log", level: "info", message: this.steps.summary() });
    this.emit({ type: "phase", phase: "done" });
    for (const u of src.plan.units) this.tableProgress(u, { phase: "done" }, true);
    return buildCloneReport({
      plan: src.plan, results: copied.results, counts, privacyCheck, customizations: swapped.customizations, skipped: swapped.skipped, started,
      target: target ? { database: target.connection.database, schemas: src.plan.schemas } : undefined,
      s3: s3Report,
      unreviewedNulled: src.review.nulled,
      delta: this.delta,
    });
  }

  /**
   * A delta run: changed rows and source keys into staging tables, then one target transaction
   * (delta-apply.ts). The transaction starts once the changed rows are staged: its upserts run
   * while the keys are still read (its deletes wait for them), and the privacy samples are read and
   * the staged rows checked meanwhile on other sessions; the COMMIT waits for the check to pass.
   */
  private async executeDelta(src: SourcePlan, dp: DeltaPlan, info: fidelity.TargetInfo, customizations: Customizations, started: number): Promise<CloneReport> {
    const [staged] = await settled(this.steps.time("staging", () => this.stageDelta(src, dp)), this.steps.time("sessions", () => this.openDeltaSessions(src)));
    this.checkAborted();
    const reads = staged.flatMap((d) => [
      { d, unit: d.mode === "delta" ? changedRowsUnit(d, this.def.outputs.target!.delta!.overlapSeconds, dp.snapshot) : d.unit, into: d.rows },
      ...(d.keys ? [{ d, unit: keysUnit(d), into: d.keys }] : []),
    ]);
    const rowReads = reads.filter((r) => r.into === r.d.rows);
    for (const r of rowReads) this.deltaStaged.set(r.unit, r.into);
    const readPlan = { ...src.plan, units: rowReads.map((r) => r.unit) };
    const copy = this.copyDelta(src, info, reads);
    const results = await copy.rows;
    const sequences = await this.steps.time("sequences", () => this.readSequences(src.plan, src.catalog));
    // The privacy samples (a second read of the changed rows, queued on the coordinator after the
    // sequences) beside the upserts too, not against the rows' copy.
    const side = this.startSideReads(readPlan);
    const privacy = this.steps.time("privacy check", () => this.checkPrivacy(readPlan, side, [], this.writers[this.writers.length - 1]));
    const ended = copy.all.then(() => this.steps.time("end snapshot", () => this.endSnapshot(side)));
    // Awaited below or inside the apply; a failure of the apply first must not leave them unobserved.
    for (const p of [privacy, ended]) p.catch(() => {});
    this.emit({ type: "phase", phase: "swapping" });
    const applied = await this.steps.time("apply", () => this.targetQuery((c) => applyDelta(c, {
      schemas: src.plan.schemas, units: staged,
      sequences: sequences.map((v) => `SELECT pg_catalog.setval(${ql(qname(v.schema, v.name))}::regclass, ${BigInt(v.value).toString()}, ${v.isCalled ? "true" : "false"})`),
      customizations, statementTimeoutMs: this.def.options.statementTimeoutMs ?? 60_000,
      keysRead: ended, privacyChecked: privacy,
      beforeCommit: this.opts.beforeSwapCommit, checkAborted: () => this.checkAborted(), onCommitted: () => { this.published = true; },
      time: (name, fn) => this.steps.time(`apply: ${name}`, fn),
    }), "applying the changes to the twin"));
    const privacyCheck = await privacy;
    const windowCounts = await ended;
    const counts = new Map([...windowCounts].map(([u, c]) => [rowReads.find((r) => r.unit === u)!.d.unit, c]));
    if (applied.refreshed.length) this.emit({ type: "log", level: "info", message: `Refreshed ${applied.refreshed.length} materialized view(s) over changed tables: ${applied.refreshed.join(", ")}.` });
    await this.steps.time("drop staging", () => this.dropDeltaStaging());
    this.emit({ type: "log", level: "info", message: this.steps.summary() });
    this.emit({ type: "phase", phase: "done" });
    for (const u of src.plan.units) this.tableProgress(u, { phase: "done" }, true);
    for (const [u, n] of applied.counts) {
      const res = results.get(u)!;
      results.set(u, { ...res, rowsWritten: n.inserted + n.updated });
    }
    return buildCloneReport({
      plan: src.plan, results, counts, privacyCheck, customizations: applied.customizations, skipped: src.skipped, started,
      target: { database: this.def.outputs.target!.connection.database, schemas: src.plan.schemas },
      unreviewedNulled: src.review.nulled,
      delta: dp, deltaCounts: applied.counts,
    });
  }

  /** A staging schema of unlogged tables: each table's rows to apply and, in delta mode, its source keys. */
  private async stageDelta(src: SourcePlan, dp: DeltaPlan): Promise<StagedDelta[]> {
    const stage = `doppel_stage_${this.runId}_0`;
    this.staging = { names: new Map([["", stage]]), oldNames: new Map() };
    return this.targetQuery(async (c) => {
      await c.query(`SET search_path TO ${src.plan.schemas.map(qi).join(", ")}`);
      await c.query(`CREATE SCHEMA ${qi(stage)}`);
      const staged: StagedDelta[] = [];
      for (const [i, unit] of dp.order.entries()) {
        const s = deltaStagingStatements(stage, dp.units.find((d) => d.unit === unit)!, i);
        for (const sql of s.sql) await c.query(sql).catch((err) => { throw withStatement(err, `CREATE TABLE for ${label(unit)}`); });
        staged.push(s.staged);
      }
      return staged;
    }, "creating the delta staging tables");
  }

  /** A reader and a writer per parallel slot, and one more writer (the last) for the privacy check, all opened at once. */
  private async openDeltaSessions({ plan, snapshot }: SourcePlan) {
    const parallelism = this.def.options.parallelism ?? DEFAULT_PARALLELISM;
    const path = `SET search_path TO ${plan.schemas.map(qi).join(", ")}`;
    const writer = async () => {
      const w = await this.open("target");
      this.writers.push(w);
      this.targetPids.push(await backendPid(w));
      await this.targetQuery(() => w.query(path), "configuring the delta sessions");
      return w;
    };
    const reader = async () => {
      const r = await this.openReader(snapshot);
      this.readers.push(r);
      return r;
    };
    // Every session the run holds is in readers/writers (closed by closeAll) even when another failed to open.
    const opened = await Promise.allSettled([...Array.from({ length: parallelism }, reader), ...Array.from({ length: parallelism + 1 }, writer)]);
    const failed = opened.find((o) => o.status === "rejected");
    if (failed) throw failed.reason;
    this.readers = opened.slice(0, parallelism).map((o) => (o as PromiseFulfilledResult<pg.Client>).value);
    this.writers = opened.slice(parallelism).map((o) => (o as PromiseFulfilledResult<pg.Client>).value);
  }

  /**
   * The changed rows and the source keys into their staging tables, on the snapshot, `parallelism`
   * at a time, every table's rows first, then the keys: `rows` resolves when the rows are staged, `all` when the keys are too.
   */
  private copyDelta({ catalog }: SourcePlan, info: fidelity.TargetInfo, reads: { d: StagedDelta; unit: CopyUnit; into: string }[]): { rows: Promise<Map<CopyUnit, CopyResult>>; all: Promise<void> } {
    this.emit({ type: "phase", phase: "copying" });
    const results = new Map<CopyUnit, CopyResult>();
    const sameMajor = Math.floor(catalog.serverVersion / 10000) === info.serverMajor;
    const merges = [...new Set(reads.map((r) => r.d))].filter((d) => d.mergeKey);
    const ROWS_FIRST = 1e15;
    const tasks = [
      ...reads.map((r) => ({ priority: (r.into === r.d.rows ? ROWS_FIRST : 0) + r.unit.table.bytes, r, merge: null })),
      ...merges.map((d) => ({ priority: d.unit.table.bytes, r: null, merge: d })),
    ];
    let rowsLeft = reads.filter((r) => r.into === r.d.rows).length;
    let rowsStaged!: (r: Map<CopyUnit, CopyResult>) => void;
    let rowsFailed!: (err: unknown) => void;
    const rows = new Promise<Map<CopyUnit, CopyResult>>((resolve, reject) => { rowsStaged = resolve; rowsFailed = reject; });
    rows.catch(() => {});
    if (rowsLeft === 0) rowsStaged(results);
    // A failure or a cancel also fails `rows`, so that key tasks waiting for it end (and the pool with them).
    const onFail = (err: unknown) => { rowsFailed(err); this.controller.abort(err); };
    const onAbort = () => rowsFailed(runCanceled(this.signal.reason));
    if (this.signal.aborted) onAbort();
    else this.signal.addEventListener("abort", onAbort, { once: true });
    const all = runTaskPool(tasks, this.def.options.parallelism ?? DEFAULT_PARALLELISM, this.signal, onFail, async ({ r, merge }, slot) => {
      // Keys wait for every table's rows: they then overlap the apply's upserts instead of slowing
      // the rows down (redaction and key parsing share this thread; measured 0.4-0.9 s vs 0.7-2.2 s for
      // the bench's changed rows under load), and the upserts wait for the rows anyway.
      if (merge || r?.into !== r?.d.rows) await rows;
      if (merge) {
        const t0 = performance.now();
        merge.deleted = await deletedKeys({ reader: this.readers[slot], writer: this.writers[slot], unit: merge.unit, key: merge.mergeKey!, signal: this.signal });
        this.steps.add(`${"missing" in merge.deleted ? "key ranges" : "key merge"} ${label(merge.unit)}`, t0);
        return;
      }
      if (!r) return;
      const t0 = Date.now();
      const isRows = r.into === r.d.rows;
      if (isRows) this.tableProgress(r.d.unit, { phase: "copying" }, true);
      const res = await this.steps.time(`${isRows ? "rows" : "keys"} ${label(r.d.unit)}`, () => copyUnitToTarget({
        reader: this.readers[slot], writer: this.writers[slot], unit: r.unit, stagedName: r.into, salt: this.salt, signal: this.signal,
        onChunk: isRows ? (c) => this.tableProgress(r.d.unit, { rowsDone: c.rows, bytesDone: c.bytes }) : () => {}, binary: canCopyBinary(r.unit, sameMajor),
      }));
      if (isRows) {
        results.set(r.d.unit, { ...res, durationMs: Date.now() - t0 });
        if (--rowsLeft === 0) rowsStaged(results);
      }
    });
    all.catch(rowsFailed);
    return { rows, all };
  }

  private async dropDeltaStaging() {
    for (const s of this.staging!.names.values()) {
      await this.targetQuery((c) => c.query(`DROP SCHEMA IF EXISTS ${qi(s)} CASCADE`), "dropping the delta staging tables").catch(() => {
        this.emit({ type: "log", level: "warn", message: "The delta staging tables could not be dropped now; the next run into this target removes them." });
      });
    }
  }

  /** The source snapshot every read of the run shares, and the locks on the selected tables. */
  private async startSnapshot(): Promise<{ snapshot: string; now: string; watermark?: string; xids?: SnapshotXids }> {
    this.emit({ type: "phase", phase: "introspecting" });
    this.coordinator = await this.steps.time("connect", () => this.open("source"));
    // Delta updates: the watermark is read before the snapshot starts (delta-plan.ts, readWatermark).
    const wm = this.def.outputs.target?.delta ? await this.steps.time("watermark", () => this.sourceQuery(this.coordinator!, readWatermark, "reading the delta watermark")) : null;
    if (wm && wm.lagSeconds > 3600) this.emit({ type: "log", level: "warn", message: `A source transaction has been open for ${Math.round(wm.lagSeconds / 60)} minutes: the next delta run reads the changes since it started.` });
    if (wm?.hidden) this.emit({ type: "log", level: "warn", message: `${wm.hidden} source session(s) are hidden from this role (grant it pg_read_all_stats): only the overlap covers their open transactions.` });
    const snap = await this.steps.time("snapshot", () => this.sourceQuery(this.coordinator!, async (c) => {
      await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      // The snapshot's xmin/xmax: xmin change detection (delta-plan.ts, changedRowsUnit).
      return (await c.query(`SELECT pg_export_snapshot() AS snapshot, now()::text AS now,
          json_build_object('xmin', pg_snapshot_xmin(pg_current_snapshot())::text, 'xmax', pg_snapshot_xmax(pg_current_snapshot())::text) AS xids`)).rows[0] as { snapshot: string; now: string; xids: SnapshotXids };
    }, "starting the snapshot"));
    // Locks first: reading the catalog opens the tables (source-locks.ts).
    await this.steps.time("locks", () => this.sourceQuery(this.coordinator!, (c) => lockSourceTables(c, this.def.tables, this.sourceLockTimeoutMs), "locking the selected tables"));
    return { ...snap, ...(wm ? { watermark: wm.watermark } : {}) };
  }

  /** The catalog of the tables' schemas and of those they depend on, checked; the copy plan; the schema objects. */
  private async planClone(now: string): Promise<Omit<SourcePlan, "snapshot">> {
    const { def } = this;
    const coordinator = this.coordinator!;
    // The selected tables' schemas, then the schemas those tables depend on (dependency-schemas.ts).
    const dependencies = await this.steps.time("dependencies", () => this.sourceQuery(coordinator, (c) => readDependencySchemas(c, def.tables), "reading the schemas the tables depend on"));
    const schemas = [...new Set([...def.tables.map((t) => t.schema), ...dependencies.schemas])];
    const catalog = await this.steps.time("catalog", () => this.sourceQuery(coordinator, (c) => readCatalog(c, schemas), "reading the catalog"));
    checkAgainstCatalog(def, catalog);
    const review = applyReviewPolicy(def, catalog);
    if (review.nulled.length) this.emit({ type: "log", level: "warn", message: `Copied as NULL until reviewed: ${listColumns(review.nulled)}.` });
    const plan = buildPlan(review.def, catalog, now);
    markNulled(plan, review.nulled);
    // A delta run leaves the twin's schema objects as they are: a delta-enabled target reads them once planDelta chose a full run.
    const objects = def.outputs.target && !def.outputs.target.delta ? await this.readSchemaObjects(plan) : null;
    return { catalog, review, plan, objects, skipped: [...plan.skipped, ...dependencies.notCopied] };
  }

  private readSchemaObjects(plan: ClonePlan): Promise<fidelity.SchemaObjects> {
    const scope = { schemas: plan.schemas, tables: plan.relations.map((r) => ({ schema: r.schema, table: r.name })) };
    return this.steps.time("schema objects", () => this.sourceQuery(this.coordinator!, (c) => fidelity.readSchemaObjects(c, scope), "reading views, functions and triggers"));
  }

  /** A delta-enabled target whose run is a full run: the schema objects (on the same snapshot) and the extensions they need, before anything is written. */
  private async readObjectsForFullRun(src: SourcePlan) {
    const objects = await this.readSchemaObjects(src.plan);
    src.objects = objects;
    await this.targetQuery((c) => fidelity.checkExtensions(c, objects), "checking the target's extensions");
  }

  /** The tables as queued, and what will not arrive (known before anything is written; the report lists it again). */
  private announceTables({ plan, catalog, skipped }: SourcePlan) {
    for (const u of plan.units) {
      this.progress.set(label(u), { schema: u.table.schema, table: u.table.name, phase: "queued", rowsDone: 0, bytesDone: 0, rowsEstimate: estimateRows(u, catalog) });
    }
    this.emit({ type: "tables", tables: [...this.progress.values()] });
    for (const s of skipped) this.emit({ type: "log", level: "warn", message: `Not copied: ${s.kind} ${s.name}: ${s.reason}.` });
  }

  /** The guards before writing: another database than the source, the target lock, no leftovers, the extensions the objects need. */
  private async prepareTarget({ objects }: SourcePlan): Promise<fidelity.TargetInfo> {
    this.control = await this.controlOpening!;
    await refuseSameDatabase(this.coordinator!, this.control);
    return this.targetQuery(async (c) => {
      this.targetPids.push(await backendPid(c));
      await acquireLock(c, this.signal, this.opts.targetLockTimeoutMs ?? DEFAULT_TARGET_LOCK_TIMEOUT_MS);
      await dropLeftovers(c);
      const info = await fidelity.readTargetInfo(c);
      if (objects) await fidelity.checkExtensions(c, objects);
      return info;
    }, "preparing the target");
  }

  private async createStaging({ plan, catalog, objects }: SourcePlan, targetInfo: fidelity.TargetInfo) {
    const staging = stagingNames(plan.schemas, this.runId);
    await this.targetQuery(async (c) => {
      const ext = objects ? await fidelity.extensionSetupStatements(c, objects, Object.fromEntries(staging.names)) : [];
      this.staging = staging;
      await c.query("BEGIN");
      await c.query(`SET LOCAL search_path TO ${searchPath(plan, staging)}`);
      // Schemas, missing extensions (their types may be used by the tables), types, then the
      // functions that the tables' CHECKs and defaults call, then sequences and tables.
      const functions = objects ? fidelity.stagingFunctionStatements(objects, Object.fromEntries(staging.names)) : [];
      for (const sql of preDataStatements(plan, catalog, staging, targetInfo.serverMajor, { afterSchemas: ext, afterTypes: functions })) {
        await c.query(sql).catch((err) => { throw withStatement(err, describeStatement(sql, staging)); });
      }
      for (const d of this.delta?.units ?? []) {
        if (d.key) await c.query(`ALTER TABLE ${stagedName(d.unit, staging)} ADD COLUMN ${sourcePrimaryKeyColumnDdl(d.key.expression)}`);
      }
      await c.query("COMMIT");
    }, "creating the staging tables");
  }

  /** The S3 output's bucket answers (its library is loaded only by runs that have one). */
  private async checkBucket() {
    const s3out = this.def.outputs.s3;
    if (!s3out) return;
    this.s3lib = await import("./s3-output");
    const { createS3Client, headBucket, classifyS3Error } = this.s3lib;
    this.s3 = createS3Client(s3out.connection);
    try {
      await headBucket(this.s3, s3out.connection.bucket);
    } catch (err) {
      throw classifyS3Error(err, s3out.connection.bucket);
    }
  }

  /** One reader (in the snapshot) and, with a target, one writer per parallel slot. */
  private async openCopySessions({ plan, snapshot }: SourcePlan) {
    const parallelism = this.def.options.parallelism ?? DEFAULT_PARALLELISM;
    this.readers = await Promise.all(Array.from({ length: parallelism }, () => this.openReader(snapshot)));
    if (!this.def.outputs.target) return;
    this.writers = await Promise.all(Array.from({ length: parallelism }, () => this.open("target")));
    for (const w of this.writers) this.targetPids.push(await backendPid(w));
    // Index definitions bind through search_path (see catalog.ts); sorts get a large maintenance_work_mem.
    const path = searchPath(plan, this.staging!);
    for (const w of this.writers) {
      await this.targetQuery(() => w.query(`SET search_path TO ${path}; SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`), "configuring index builds");
    }
  }

  /** Privacy samples and the counts of windowed tables, queued on the snapshot's own session while the copy runs. */
  private startSideReads(plan: ClonePlan): SideReads {
    const coordinator = this.coordinator!;
    const sampleSize = this.def.options.privacySampleSize;
    const samples = new Map<CopyUnit, Promise<UnitSample | null>>();
    for (const u of plan.units) samples.set(u, this.sourceQuery(coordinator, (c) => this.steps.time(`sample ${label(u)}`, () => sampleUnit(c, u, sampleSize)), `sampling ${label(u)}`));
    const windowCounts = new Map<CopyUnit, Promise<{ total: number; inWindow: number }>>();
    for (const u of plan.units) {
      if (!u.windowOnly) continue;
      windowCounts.set(u, this.sourceQuery(coordinator, async (c) => {
        const r = (await c.query(`SELECT count(*)::int8 AS total, count(*) FILTER (WHERE ${u.windowOnly})::int8 AS in_window FROM ${fromItem(u.table)} t0`)).rows[0];
        return { total: Number(r.total), inWindow: Number(r.in_window) };
      }, `counting ${label(u)}`));
    }
    // Do not leave rejections unobserved while the copy runs; they are awaited later.
    for (const p of [...samples.values(), ...windowCounts.values()]) p.catch(() => {});
    return { samples, windowCounts };
  }

  /**
   * One queue for the copies, the index builds and the foreign keys, largest tables first: a
   * table's indexes start as soon as its copy is committed, on whichever session is free, while
   * larger tables are still copying; a foreign key is added (and validated) once both tables are
   * loaded and the referenced table's keys exist.
   */
  private async copyTables({ plan, catalog }: SourcePlan, targetInfo: fidelity.TargetInfo | null, side: SideReads): Promise<Copied> {
    this.emit({ type: "phase", phase: "copying" });
    const copied: Copied = { results: new Map(), s3Objects: new Map(), s3Leaks: [] };
    const sameMajor = targetInfo !== null && Math.floor(catalog.serverVersion / 10000) === targetInfo.serverMajor;
    const fks = foreignKeyQueue(plan);
    let copiesDone = 0;
    const copies: Task[] = plan.units.map((u) => ({ priority: 1e15 + u.table.bytes, copy: u }));
    await runTaskPool<Task>(copies, this.def.options.parallelism ?? DEFAULT_PARALLELISM, this.signal, (err) => this.controller.abort(err), async (task, slot, push) => {
      if (task.fk) return this.addForeignKey(task.fk, fks.tableOf(task.fk), slot);
      if (task.index) {
        await this.buildIndex(task.index, slot);
        if (task.index.key) fks.keyBuilt(task.index.relid);
        push(...fks.ready());
        return;
      }
      const unit = task.copy!;
      copied.results.set(unit, await this.copyTable(unit, slot, sameMajor, side, copied));
      if (++copiesDone === plan.units.length && targetInfo) this.emit({ type: "phase", phase: "indexing" });
      if (targetInfo) {
        const tasks = unit.relations.flatMap((r) => indexTasks(r, this.staging!, unit.relations));
        const key = this.delta?.units.find((d) => d.unit === unit && d.key);
        if (key) tasks.push({ label: label(unit), relid: unit.table.oid, weight: unit.table.bytes, key: false, sql: [`CREATE UNIQUE INDEX ON ${stagedName(unit, this.staging!)} (${qi(SOURCE_PRIMARY_KEY)})`] });
        for (const r of unit.relations) fks.loaded(r.oid, tasks.filter((x) => x.key && x.relid === r.oid).length);
        push(...tasks.map((index) => ({ priority: index.weight, index })), ...fks.ready());
      }
    });
    return copied;
  }

  /** One table into the target and/or to S3 (the S3 file checked against the sample while it streams). */
  private async copyTable(unit: CopyUnit, slot: number, sameMajor: boolean, side: SideReads, copied: Copied): Promise<CopyResult> {
    const target = this.def.outputs.target;
    const t0 = Date.now();
    this.tableProgress(unit, { phase: "copying" }, true);
    const onChunk = (c: CopyCounters) => this.tableProgress(unit, { rowsDone: c.rows, bytesDone: c.bytes });
    let res = { rowsRead: 0, rowsWritten: 0, bytes: 0 };
    if (target) {
      const binary = canCopyBinary(unit, sameMajor);
      const threads = redactionThreads(unit, this.def.options.parallelism ?? DEFAULT_PARALLELISM);
      if (threads > 1) this.emit({ type: "log", level: "info", message: `Redacting ${label(unit)} on ${threads} threads.` });
      res = await copyUnitToTarget({ reader: this.readers[slot], writer: this.writers[slot], unit, stagedName: stagedName(unit, this.staging!), salt: this.salt, signal: this.signal, onChunk, binary, threads });
    }
    if (this.def.outputs.s3) {
      const s3res = await this.copyToS3(unit, slot, await side.samples.get(unit)!, target ? () => {} : onChunk, copied);
      if (!target) res = s3res;
    }
    this.tableProgress(unit, { phase: target ? "indexing" : "done", rowsDone: res.rowsRead, bytesDone: res.bytes }, true);
    return { ...res, durationMs: Date.now() - t0 };
  }

  private async copyToS3(unit: CopyUnit, slot: number, sample: UnitSample | null, onChunk: (c: CopyCounters) => void, copied: Copied) {
    const s3out = this.def.outputs.s3!;
    const checker = createStreamChecker(sample, unit.columns.map((c) => c.name));
    const { stages, counter } = sourceStages(this.readers[slot], unit, this.salt, this.signal, onChunk);
    const csv = createCopyToCsv(unit.columns.map((c) => c.name), checker.check);
    const { objectKey, uploadGzip, classifyS3Error } = this.s3lib!;
    const key = objectKey(this.s3Folder(), unit.table.schema, unit.table.name);
    this.uploadedKeys.push(key);
    let uploaded: { bytes: number; sha256: string } | null = null;
    try {
      await Promise.all([
        runPipeline([...stages, { stream: csv, side: "transform" }], this.signal, label(unit)).catch((err) => { csv.destroy(err); throw err; }),
        uploadGzip(this.s3!, s3out.connection.bucket, key, csv, this.signal).then((r) => { uploaded = r; }),
      ]);
    } catch (err) {
      throw err instanceof EngineError ? err : classifyS3Error(err, s3out.connection.bucket);
    }
    const up = uploaded as unknown as { bytes: number; sha256: string };
    copied.s3Objects.set(unit, { key, bytes: up.bytes, sha256: up.sha256, rows: csv.rows() });
    if (sample) copied.s3Leaks.push({ sample, output: "s3", leaks: checker.leaks() });
    return { rowsRead: counter.counters.rows, rowsWritten: csv.rows(), bytes: counter.counters.bytes };
  }

  private async buildIndex(index: IndexTask, slot: number) {
    for (const sql of index.sql) await this.targetQuery(() => this.writers[slot].query(sql), `building indexes of ${index.label}`);
  }

  /**
   * One foreign key at a time: ADD FOREIGN KEY locks both tables (ShareRowExclusive, which
   * conflicts with itself), so two of them over a cycle (a -> b, b -> a) deadlock when run at once.
   */
  private fkTurn: Promise<unknown> = Promise.resolve();
  private async addForeignKey(fk: CatalogConstraint, table: CopyUnit["table"], slot: number) {
    const add = this.fkTurn.then(() => this.targetQuery(() => this.writers[slot].query(foreignKeyStatement(fk, table, this.staging!)), `adding foreign key ${fk.name} of ${table.schema}.${table.name}`));
    this.fkTurn = add.catch(() => {});
    await add;
  }

  /** After every copy, index and foreign key: sequences. */
  private async finishSequences(plan: ClonePlan, catalog: Catalog) {
    const staging = this.staging!;
    // Sequences: ownership, then the source's current values (read outside the snapshot:
    // sequences are not transactional; their value now is at least the snapshot's).
    const values = (await this.readSequences(plan, catalog)).map((v) => setvalStatement(v.schema, v.name, v.value, v.isCalled, staging));
    await this.targetQuery(async (c) => {
      for (const sql of [...sequenceOwnershipStatements(plan, catalog, staging), ...values]) await c.query(sql);
    }, "setting sequences");
  }

  /** The current values of the clone's sequences. */
  private async readSequences(plan: ClonePlan, catalog: Catalog): Promise<SequenceValue[]> {
    const inClone = new Set(plan.relations.map((r) => r.oid));
    const values: SequenceValue[] = [];
    for (const s of catalog.sequences.filter((x) => sequenceInClone(x, inClone))) {
      const row = await this.sourceQuery(this.coordinator!, async (c) => (await c.query(`SELECT last_value::text AS v, is_called FROM ${qname(s.schema, s.name)}`)).rows[0], `reading sequence ${s.schema}.${s.name}`);
      values.push({ schema: s.schema, name: s.name, value: row.v, isCalled: row.is_called });
    }
    return values;
  }

  /** The staged tables (and the S3 files, checked while they streamed) against the source samples: a leak fails the run. */
  private async checkPrivacy(plan: ClonePlan, side: SideReads, s3Leaks: S3Leaks, session?: pg.Client): Promise<PrivacyCheckReport> {
    this.emit({ type: "phase", phase: "privacy_check" });
    const unitSamples = await Promise.all(plan.units.map((u) => side.samples.get(u)!));
    const targetLeaks: { sample: UnitSample; output: "target"; leaks: LeakCount[] }[] = [];
    if (this.def.outputs.target) {
      for (const s of unitSamples) {
        if (!s) continue;
        targetLeaks.push({ sample: s, output: "target", leaks: await this.targetQuery((c) => checkTarget(c, s, fromItem(s.unit.table, this.deltaStaged.get(s.unit) ?? stagedName(s.unit, this.staging!))), `checking ${label(s.unit)} for leaks`, session) });
      }
    }
    const privacyCheck = summarize(unitSamples, [...targetLeaks, ...s3Leaks]);
    if (!privacyCheck.passed) {
      const cols = privacyCheck.leaks.map((l) => `${l.schema}.${l.table}.${l.column} (${l.output}: ${l.count} value${l.count === 1 ? "" : "s"})`);
      throw new EngineError("PRIVACY_CHECK_FAILED", `The privacy check found source values in the output of ${cols.join(", ")}. Nothing was published.`,
        "Use a rule that changes every value of these columns (hash, fake or null) and run again.");
    }
    return privacyCheck;
  }

  /** The window counts collected; the readers closed and the snapshot ended. */
  private async endSnapshot(side: SideReads): Promise<Map<CopyUnit, { total: number; inWindow: number }>> {
    const counts = new Map<CopyUnit, { total: number; inWindow: number }>();
    for (const [u, p] of side.windowCounts) counts.set(u, await p);
    for (const r of this.readers) await closeSession(r);
    this.readers = [];
    await this.sourceQuery(this.coordinator!, (c) => c.query("COMMIT"), "ending the snapshot");
    return counts;
  }

  /**
   * The S3 manifest: written before the swap, so that a failing upload fails the run while the
   * previous target is still in place (a transient S3 error then costs a retry, not a target
   * swapped without its files). A failing swap deletes the manifest with the files.
   */
  private async writeManifest(plan: ClonePlan, s3Objects: Map<CopyUnit, S3ObjectReport>): Promise<CloneReport["outputs"]["s3"]> {
    const s3out = this.def.outputs.s3;
    if (!s3out) return undefined;
    const { putManifest, classifyS3Error, manifestKeyOf, buildManifest } = this.s3lib!;
    const folder = this.s3Folder();
    const objects = plan.units.map((u) => s3Objects.get(u)!);
    this.uploadedKeys.push(manifestKeyOf(folder));
    const manifestKey = await putManifest(this.s3!, s3out.connection.bucket, folder, buildManifest(this.runId, plan.units, objects))
      .catch((err) => { throw classifyS3Error(err, s3out.connection.bucket); });
    return { bucket: s3out.connection.bucket, prefix: folder, manifestKey, objects };
  }

  /** The staged schemas into place with the schema objects and customizations (swap.ts); the report's skipped objects. */
  private async swap({ plan, objects, skipped }: SourcePlan, customizations: Customizations, info: fidelity.TargetInfo): Promise<{ customizations: CloneReport["customizations"]; skipped: Skipped[] }> {
    this.emit({ type: "phase", phase: "swapping" });
    const target = this.def.outputs.target!;
    const objectStatements = objects ? fidelity.schemaObjectStatements(objects, {
      targetUser: info.user, keepOwnership: target.keepOwnership, targetRoles: info.roles, targetServerMajor: info.serverMajor,
    }) : null;
    this.checkAborted();
    const results = await this.targetQuery((c) => swapIntoPlace(c, {
      plan, staging: this.staging!, customizations, objects: objectStatements,
      statementTimeoutMs: this.def.options.statementTimeoutMs ?? 60_000,
      beforeSwapCommit: this.opts.beforeSwapCommit,
      emit: (e) => this.emit(e),
      checkAborted: () => this.checkAborted(),
      onCommitted: () => { this.published = true; },
    }), "swapping the new tables into place");
    return { customizations: results, skipped: objectStatements ? [...skipped, ...objectStatements.skipped] : skipped };
  }

  emit(event: ProgressEvent) {
    if (event.type === "phase") {
      // How long each phase took, for operators tuning parallelism (logged when the next starts).
      const now = Date.now();
      if (this.phaseStarted.phase) {
        const took = { type: "log" as const, level: "info" as const, message: `${this.phaseStarted.phase} took ${((now - this.phaseStarted.at) / 1000).toFixed(1)} s` };
        try {
          this.opts.onProgress?.(took);
        } catch {
          // ignored, as below
        }
      }
      this.phaseStarted = { phase: event.phase, at: now };
    }
    try {
      this.opts.onProgress?.(event);
    } catch {
      // A progress listener must not break the run.
    }
  }

  private checkAborted() {
    if (this.signal.aborted) throw runCanceled();
  }

  private tableProgress(unit: CopyUnit, patch: Partial<TableProgress>, force = false) {
    const key = label(unit);
    const p = { ...this.progress.get(key)!, ...patch };
    this.progress.set(key, p);
    const now = Date.now();
    if (force || now - (this.lastEmit.get(key) ?? 0) >= PROGRESS_INTERVAL_MS) {
      this.lastEmit.set(key, now);
      this.emit({ type: "table", table: p });
    }
  }

  private get salt(): Buffer {
    return Buffer.from(this.def.hashSalt, "utf8");
  }

  private get sourceLockTimeoutMs(): number {
    return this.opts.sourceLockTimeoutMs ?? DEFAULT_SOURCE_LOCK_TIMEOUT_MS;
  }

  /** This run's folder under the S3 output's prefix. */
  private s3Folder(): string {
    return this.s3lib!.runFolder(this.def.outputs.s3!.prefix, this.runId);
  }

  private async openReader(snapshot: string): Promise<pg.Client> {
    const c = await this.open("source");
    await this.sourceQuery(c, async (cl) => {
      await cl.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      await cl.query(`SET TRANSACTION SNAPSHOT '${snapshot.replaceAll("'", "")}'`);
      // reg* values print qualified (catalog.ts, loadsAsText); a lock behind queued DDL fails the run (source-locks.ts).
      await cl.query("SET LOCAL search_path = ''");
      await cl.query(lockTimeoutStatement(this.sourceLockTimeoutMs));
    }, "joining the snapshot");
    return c;
  }

  /** A session of this run, named for pg_stat_activity (`doppel-target job ...`). */
  private open(side: "source" | "target"): Promise<pg.Client> {
    const conn = side === "source" ? this.def.source : this.def.outputs.target!.connection;
    return openSession(conn, side, { applicationName: this.opts.applicationName });
  }

  private queues = new WeakMap<pg.Client, Promise<unknown>>();

  /** Runs `fn` on a source session after the session's previous work (one query at a time per session). */
  private sourceQuery<T>(c: pg.Client, fn: (c: pg.Client) => Promise<T>, what: string): Promise<T> {
    const prev = this.queues.get(c) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(async () => {
      try {
        return await fn(c);
      } catch (err) {
        throw classifyPgError(err, "source", what);
      }
    });
    this.queues.set(c, next);
    return next;
  }

  /** Runs `fn` on the control session (or `session`), naming the step in a failure. */
  private async targetQuery<T>(fn: (c: pg.Client) => Promise<T>, what: string, session?: pg.Client): Promise<T> {
    try {
      return await fn(session ?? this.control!);
    } catch (err) {
      if (this.signal.aborted) throw runCanceled(err);
      throw classifyPgError(err, "target", what);
    }
  }

  /** Drops the staging schemas (terminating this run's own target sessions first, so nothing holds their locks). */
  async cleanupAfterFailure() {
    for (const r of this.readers) await closeSession(r);
    this.readers = [];
    const target = this.def.outputs.target;
    if (target && this.staging && !this.published) {
      let janitor: pg.Client | null = null;
      try {
        janitor = await this.open("target");
        await janitor.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid WHERE pid <> pg_backend_pid()", [this.targetPids]);
        await waitGone(janitor, this.targetPids);
        for (const s of this.staging.names.values()) await janitor.query(`DROP SCHEMA IF EXISTS ${qi(s)} CASCADE`);
      } catch {
        this.emit({ type: "log", level: "warn", message: "The staging schemas could not be dropped now; the next run into this target removes them." });
      } finally {
        await closeSession(janitor);
      }
    }
    if (this.s3 && this.s3lib && this.uploadedKeys.length && this.def.outputs.s3 && !this.published) {
      await this.s3lib.deleteObjects(this.s3, this.def.outputs.s3.connection.bucket, this.uploadedKeys).catch(() => {
        this.emit({ type: "log", level: "warn", message: "Some uploaded files of this failed run could not be deleted; without a manifest they do not count as a run." });
      });
    }
  }

  async closeAll() {
    // A control session still opening (the run failed on the source first) is closed once it is open, without waiting for it.
    if (!this.control) void this.controlOpening?.then(closeSession, () => {});
    for (const c of [...this.readers, ...this.writers, this.coordinator, this.control]) await closeSession(c);
    this.readers = [];
    this.writers = [];
    this.coordinator = null;
    this.control = null;
    this.s3?.destroy();
  }
}

const label = (u: CopyUnit) => `${u.table.schema}.${u.table.name}`;

/** Both results once both settled (so that nothing is left running on a failure), else the first failure. */
async function settled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [x, y] = await Promise.allSettled([a, b]);
  if (x.status === "rejected") throw x.reason;
  if (y.status === "rejected") throw y.reason;
  return [x.value, y.value];
}

function stagedName(unit: CopyUnit, staging: Staging): string {
  return qname(staging.names.get(unit.table.schema)!, unit.table.name);
}

/** Staging schemas first (definitions bind to the staged copies), then the real ones (extension types living there). */
function searchPath(plan: ClonePlan, staging: Staging): string {
  return [...plan.schemas.map((s) => staging.names.get(s)!), ...plan.schemas].map(qi).join(", ");
}

function estimateRows(u: CopyUnit, catalog: Catalog): number | null {
  if (u.table.kind === "r") return u.table.rowsEstimate;
  const parts = catalog.tables.filter((x) => x.parentOid === u.table.oid);
  return parts.length ? parts.reduce((a, p) => a + (p.rowsEstimate ?? 0), 0) : null;
}

/** Foreign keys wait until both of their tables are loaded and the referenced table's keys exist. */
function foreignKeyQueue(plan: ClonePlan) {
  const relById = new Map(plan.relations.map((r) => [r.oid, r]));
  /** Relation oid -> key indexes still to build; a relation is here once its copy committed. */
  const keysLeft = new Map<number, number>();
  let pending = [...plan.foreignKeys];
  return {
    tableOf: (fk: CatalogConstraint) => relById.get(fk.relid)!,
    loaded: (relid: number, keys: number) => keysLeft.set(relid, keys),
    keyBuilt: (relid: number) => keysLeft.set(relid, keysLeft.get(relid)! - 1),
    /** The foreign keys that may be added now (each returned once). */
    ready(): Task[] {
      const ready = pending.filter((fk) => keysLeft.has(fk.relid) && keysLeft.get(fk.refRelid!) === 0);
      pending = pending.filter((fk) => !ready.includes(fk));
      return ready.map((fk) => ({ priority: relById.get(fk.relid)!.bytes, fk }));
    },
  };
}
