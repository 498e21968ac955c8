import { randomBytes } from "node:crypto";
import { setMaxListeners } from "node:events";
import type pg from "pg";
import type { S3Client } from "@aws-sdk/client-s3";
import { ZWorkflowDefinition, formatIssues, type TWorkflowDefinition, type TWorkflowDefinitionInput } from "../schemas/workflow";
import { readCatalog, type Catalog, type CatalogConstraint } from "./catalog";
import { closeSession, openSession, qi, qname } from "./connect";
import { canCopyBinary, copyUnitToTarget, runPipeline, sourceStages, type CopyCounters } from "./copy-table";
import { createCopyToCsv } from "./copy-to-csv";
import { customizationGrammarErrors } from "./customization-grammar";
import { readDependencySchemas } from "./dependency-schemas";
import { DEFAULT_SOURCE_LOCK_TIMEOUT_MS, lockSourceTables, lockTimeoutStatement } from "./source-locks";
import { prepareCustomizations } from "./customizations";
import { classifyPgError, EngineError, withStatement } from "./errors";
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
import { buildCloneReport } from "./clone-report";
import type { CloneReport, CloneRunOptions, ProgressEvent, S3ObjectReport, TableProgress } from "./types";
import { applyReviewPolicy, listColumns, markNulled } from "./review-policy";
import { checkAgainstCatalog } from "./check-against-catalog";
import { validateCustomizations } from "./validate-definition";

// The clone-redact-load engine. One run:
//  1. source: one REPEATABLE READ READ ONLY transaction exports a snapshot; the catalog, the
//     privacy samples, row counts and every table copy read that same snapshot;
//  2. target: under an advisory lock (runs into one target serialize), create staging schemas
//     with types, sequences and bare tables; copy the tables in parallel; then keys and indexes
//     (several tables at once, large maintenance_work_mem), validated foreign keys, sequences;
//  3. privacy check against the staged data (and the S3 files while they stream);
//  4. one short transaction: rename the previous schemas away, staging into place, column
//     defaults, schema objects (views, functions, triggers...), customizations, the caller's
//     fencing check, COMMIT; then drop the previous schemas.
// Helpers by phase: source-locks.ts and dependency-schemas.ts (snapshot), target-lock.ts (guards
// before writing), staging-ddl.ts (staging DDL, indexes, keys), copy-table.ts (one table's stream),
// privacy-check.ts, swap.ts and swap-statements.ts, s3-output.ts, clone-report.ts.
// Any failure or cancellation before the COMMIT drops the staging schemas: the previous target
// is untouched. The S3 manifest is written right before the swap; the objects (and the manifest)
// of a run that fails before its swap commits are deleted.

export const DEFAULT_PARALLELISM = 2;
export { DEFAULT_TARGET_LOCK_TIMEOUT_MS };
const MAINTENANCE_WORK_MEM = "512MB";
const PROGRESS_INTERVAL_MS = 250;

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
    const e = opts.signal?.aborted ? new EngineError("CANCELED", "The run was cancelled; the target was left as it was.", "", { cause: err })
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
  private readers: pg.Client[] = [];
  private writers: pg.Client[] = [];
  private targetPids: number[] = [];
  private staging: Staging | null = null;
  private stagingCreated = false;
  private committed = false;
  /** Every output is in place (the swap committed, the manifest written): nothing is undone after this. */
  private published = false;
  private s3: S3Client | null = null;
  private s3lib: S3Lib | null = null;
  private uploadedKeys: string[] = [];
  private progress = new Map<string, TableProgress>();
  private lastEmit = new Map<string, number>();
  readonly signal: AbortSignal;

  constructor(private def: TWorkflowDefinition, private opts: CloneRunOptions, private controller: AbortController) {
    this.signal = controller.signal;
  }

  private phaseStarted = { phase: "", at: Date.now() };

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
    if (this.signal.aborted) throw new EngineError("CANCELED", "The run was cancelled; the target was left as it was.");
  }

  private tableProgress(unit: CopyUnit, patch: Partial<TableProgress>, force = false) {
    const key = `${unit.table.schema}.${unit.table.name}`;
    const p = { ...this.progress.get(key)!, ...patch };
    this.progress.set(key, p);
    const now = Date.now();
    if (force || now - (this.lastEmit.get(key) ?? 0) >= PROGRESS_INTERVAL_MS) {
      this.lastEmit.set(key, now);
      this.emit({ type: "table", table: p });
    }
  }

  async execute(customizations: ReturnType<typeof prepareCustomizations>, started: number): Promise<CloneReport> {
    const { def } = this;
    const parallelism = def.options.parallelism ?? DEFAULT_PARALLELISM;
    const salt = Buffer.from(def.hashSalt, "utf8");

    // 1. Source snapshot and catalog.
    this.emit({ type: "phase", phase: "introspecting" });
    this.coordinator = await this.open("source");
    const { snapshot, now } = await this.sourceQuery(this.coordinator, async (c) => {
      await c.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      return (await c.query("SELECT pg_export_snapshot() AS snapshot, now()::text AS now")).rows[0] as { snapshot: string; now: string };
    }, "starting the snapshot");
    // Locks first: reading the catalog opens the tables (source-locks.ts).
    const sourceLockTimeoutMs = this.opts.sourceLockTimeoutMs ?? DEFAULT_SOURCE_LOCK_TIMEOUT_MS;
    await this.sourceQuery(this.coordinator, (c) => lockSourceTables(c, def.tables, sourceLockTimeoutMs), "locking the selected tables");
    // The selected tables' schemas, then the schemas those tables depend on (dependency-schemas.ts).
    const dependencies = await this.sourceQuery(this.coordinator, (c) => readDependencySchemas(c, def.tables), "reading the schemas the tables depend on");
    const schemas = [...new Set([...def.tables.map((t) => t.schema), ...dependencies.schemas])];
    const catalog = await this.sourceQuery(this.coordinator, (c) => readCatalog(c, schemas), "reading the catalog");
    checkAgainstCatalog(def, catalog);
    const review = applyReviewPolicy(def, catalog);
    if (review.nulled.length) this.emit({ type: "log", level: "warn", message: `Copied as NULL until reviewed: ${listColumns(review.nulled)}.` });
    const plan = buildPlan(review.def, catalog, now);
    markNulled(plan, review.nulled);
    const objects = def.outputs.target
      ? await this.sourceQuery(this.coordinator, (c) => fidelity.readSchemaObjects(c, { schemas: plan.schemas, tables: plan.relations.map((r) => ({ schema: r.schema, table: r.name })) }), "reading views, functions and triggers")
      : null;
    for (const u of plan.units) {
      const key = `${u.table.schema}.${u.table.name}`;
      this.progress.set(key, { schema: u.table.schema, table: u.table.name, phase: "queued", rowsDone: 0, bytesDone: 0, rowsEstimate: estimateRows(u, catalog) });
    }
    this.emit({ type: "tables", tables: [...this.progress.values()] });
    // What will not arrive is known before anything is written; the report lists it again.
    for (const s of [...plan.skipped, ...dependencies.notCopied]) this.emit({ type: "log", level: "warn", message: `Not copied: ${s.kind} ${s.name}: ${s.reason}.` });

    // 2. Target preparation (nothing is written before every check above passed).
    const target = def.outputs.target;
    let targetMajor = 0;
    let targetInfo: Awaited<ReturnType<typeof fidelity.readTargetInfo>> | null = null;
    if (target) {
      this.control = await this.open("target");
      await refuseSameDatabase(this.coordinator, this.control);
      await this.targetQuery(async (c) => {
        this.targetPids.push(await backendPid(c));
        await acquireLock(c, this.signal, this.opts.targetLockTimeoutMs ?? DEFAULT_TARGET_LOCK_TIMEOUT_MS);
        await dropLeftovers(c);
        targetInfo = await fidelity.readTargetInfo(c);
        targetMajor = targetInfo.serverMajor;
        if (objects) await fidelity.checkExtensions(c, objects);
      }, "preparing the target");
      this.staging = stagingNames(plan.schemas, this.runId);
      const staging = this.staging;
      await this.targetQuery(async (c) => {
        const ext = objects ? await fidelity.extensionSetupStatements(c, objects, Object.fromEntries(staging.names)) : [];
        this.stagingCreated = true;
        await c.query("BEGIN");
        await c.query(`SET LOCAL search_path TO ${searchPath(plan, staging)}`);
        // Schemas, missing extensions (their types may be used by the tables), types, then the
        // functions that the tables' CHECKs and defaults call, then sequences and tables.
        const functions = objects ? fidelity.stagingFunctionStatements(objects, Object.fromEntries(staging.names)) : [];
        for (const sql of preDataStatements(plan, catalog, staging, targetMajor, { afterSchemas: ext, afterTypes: functions })) {
          await c.query(sql).catch((err) => { throw withStatement(err, describeStatement(sql, staging)); });
        }
        await c.query("COMMIT");
      }, "creating the staging tables");
    }
    const s3out = def.outputs.s3;
    if (s3out) {
      this.s3lib = await import("./s3-output");
      const { createS3Client, headBucket, classifyS3Error } = this.s3lib;
      this.s3 = createS3Client(s3out.connection);
      try {
        await headBucket(this.s3, s3out.connection.bucket);
      } catch (err) {
        throw classifyS3Error(err, s3out.connection.bucket);
      }
    }
    this.checkAborted();

    // 3. Copy. Readers join the snapshot; samples and counts run meanwhile on the coordinator.
    this.readers = await Promise.all(Array.from({ length: parallelism }, () => this.openReader(snapshot)));
    if (target) {
      this.writers = await Promise.all(Array.from({ length: parallelism }, () => this.open("target")));
      for (const w of this.writers) this.targetPids.push(await backendPid(w));
    }
    const coordinator = this.coordinator;
    const sampleSize = def.options.privacySampleSize;
    const samples = new Map<CopyUnit, Promise<UnitSample | null>>();
    for (const u of plan.units) samples.set(u, this.sourceQuery(coordinator, (c) => sampleUnit(c, u, sampleSize), `sampling ${u.table.schema}.${u.table.name}`));
    const windowCounts = new Map<CopyUnit, Promise<{ total: number; inWindow: number }>>();
    for (const u of plan.units) {
      if (!u.windowOnly) continue;
      windowCounts.set(u, this.sourceQuery(coordinator, async (c) => {
        const tb = u.table;
        const r = (await c.query(`SELECT count(*)::int8 AS total, count(*) FILTER (WHERE ${u.windowOnly})::int8 AS in_window FROM ${tb.kind === "r" ? "ONLY " : ""}${qname(tb.schema, tb.name)} t0`)).rows[0];
        return { total: Number(r.total), inWindow: Number(r.in_window) };
      }, `counting ${label(u)}`));
    }
    // Do not leave rejections unobserved while the copy runs; they are awaited below.
    for (const p of [...samples.values(), ...windowCounts.values()]) p.catch(() => {});

    this.emit({ type: "phase", phase: "copying" });
    const results = new Map<CopyUnit, { rowsRead: number; rowsWritten: number; bytes: number; durationMs: number }>();
    const s3Objects = new Map<CopyUnit, S3ObjectReport>();
    const s3Leaks: { sample: UnitSample; output: "s3"; leaks: LeakCount[] }[] = [];
    const folder = s3out ? this.s3lib!.runFolder(s3out.prefix, this.runId) : "";
    // One queue for the copies and the index builds: a table's indexes start as soon as its
    // copy is committed, on whichever session is free, while larger tables are still copying.
    if (target) await this.prepareWriters(plan);
    // A foreign key is added (and validated) once both tables are loaded and the referenced
    // table's keys exist, possibly while other tables are still copying or indexing.
    type Task = { priority: number; copy?: CopyUnit; index?: IndexTask; fk?: CatalogConstraint };
    const copies: Task[] = plan.units.map((u) => ({ priority: 1e15 + u.table.bytes, copy: u }));
    const relById = new Map(plan.relations.map((r) => [r.oid, r]));
    const keysLeft = new Map<number, number>();
    let pendingFks = [...plan.foreignKeys];
    let fkTurn: Promise<unknown> = Promise.resolve();
    let copiesDone = 0;
    const readyFks = (): Task[] => {
      const ready = pendingFks.filter((fk) => keysLeft.has(fk.relid) && keysLeft.get(fk.refRelid!) === 0);
      pendingFks = pendingFks.filter((fk) => !ready.includes(fk));
      return ready.map((fk) => ({ priority: relById.get(fk.relid)!.bytes, fk }));
    };
    await runTaskPool<Task>(copies, parallelism, this.signal, (err) => this.controller.abort(err), async (task, slot, push) => {
      if (task.fk) {
        const table = relById.get(task.fk.relid)!;
        // One foreign key at a time: ADD FOREIGN KEY locks both tables (ShareRowExclusive, which
        // conflicts with itself), so two of them over a cycle (a -> b, b -> a) deadlock when run at once.
        const add = fkTurn.then(() => this.targetQuery(() => this.writers[slot].query(foreignKeyStatement(task.fk!, table, this.staging!)), `adding foreign key ${task.fk!.name} of ${table.schema}.${table.name}`));
        fkTurn = add.catch(() => {});
        await add;
        return;
      }
      if (task.index) {
        for (const sql of task.index.sql) await this.targetQuery(() => this.writers[slot].query(sql), `building indexes of ${task.index.label}`);
        if (task.index.key) keysLeft.set(task.index.relid, keysLeft.get(task.index.relid)! - 1);
        push(...readyFks());
        return;
      }
      const unit = task.copy!;
      const t0 = Date.now();
      this.tableProgress(unit, { phase: "copying" }, true);
      const onChunk = (c: CopyCounters) => this.tableProgress(unit, { rowsDone: c.rows, bytesDone: c.bytes });
      let res = { rowsRead: 0, rowsWritten: 0, bytes: 0 };
      if (target) {
        const binary = canCopyBinary(unit, Math.floor(catalog.serverVersion / 10000) === targetMajor);
        res = await copyUnitToTarget({ reader: this.readers[slot], writer: this.writers[slot], unit, stagedName: stagedName(unit, this.staging!), salt, signal: this.signal, onChunk, binary });
      }
      if (s3out) {
        const sample = await samples.get(unit)!;
        const checker = createStreamChecker(sample, unit.columns.map((c) => c.name));
        const { stages, counter } = sourceStages(this.readers[slot], unit, salt, this.signal, target ? () => {} : onChunk);
        const csv = createCopyToCsv(unit.columns.map((c) => c.name), checker.check);
        const { objectKey, uploadGzip, classifyS3Error } = this.s3lib!;
        const key = objectKey(folder, unit.table.schema, unit.table.name);
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
        s3Objects.set(unit, { key, bytes: up.bytes, sha256: up.sha256, rows: csv.rows() });
        if (sample) s3Leaks.push({ sample, output: "s3", leaks: checker.leaks() });
        if (!target) res = { rowsRead: counter.counters.rows, rowsWritten: csv.rows(), bytes: counter.counters.bytes };
      }
      results.set(unit, { ...res, durationMs: Date.now() - t0 });
      this.tableProgress(unit, { phase: target ? "indexing" : "done", rowsDone: res.rowsRead, bytesDone: res.bytes }, true);
      if (++copiesDone === plan.units.length && target) this.emit({ type: "phase", phase: "indexing" });
      if (target) {
        const tasks = unit.relations.flatMap((r) => indexTasks(r, this.staging!, unit.relations));
        for (const r of unit.relations) keysLeft.set(r.oid, tasks.filter((x) => x.key && x.relid === r.oid).length);
        push(...tasks.map((index) => ({ priority: index.weight, index })), ...readyFks());
      }
    });
    this.checkAborted();

    // 4. Keys, indexes, foreign keys, sequences.
    if (target) {
      await this.finishSequences(plan, catalog);
    }

    // 5. Privacy check.
    this.emit({ type: "phase", phase: "privacy_check" });
    const unitSamples = await Promise.all(plan.units.map((u) => samples.get(u)!));
    const targetLeaks: { sample: UnitSample; output: "target"; leaks: LeakCount[] }[] = [];
    if (target) {
      for (const s of unitSamples) {
        if (!s) continue;
        targetLeaks.push({ sample: s, output: "target", leaks: await this.targetQuery((c) => checkTarget(c, s, `${s.unit.table.kind === "r" ? "ONLY " : ""}${stagedName(s.unit, this.staging!)}`), `checking ${label(s.unit)} for leaks`) });
      }
    }
    const privacyCheck = summarize(unitSamples, [...targetLeaks, ...s3Leaks]);
    if (!privacyCheck.passed) {
      const cols = privacyCheck.leaks.map((l) => `${l.schema}.${l.table}.${l.column} (${l.output}: ${l.count} value${l.count === 1 ? "" : "s"})`);
      throw new EngineError("PRIVACY_CHECK_FAILED", `The privacy check found source values in the output of ${cols.join(", ")}. Nothing was published.`,
        "Use a rule that changes every value of these columns (hash, fake or null) and run again.");
    }
    const counts = new Map<CopyUnit, { total: number; inWindow: number }>();
    for (const [u, p] of windowCounts) counts.set(u, await p);
    for (const r of this.readers) await closeSession(r);
    this.readers = [];
    await this.sourceQuery(coordinator, (c) => c.query("COMMIT"), "ending the snapshot");

    // 6. S3 manifest: written before the swap, so that a failing upload fails the run while the
    // previous target is still in place (a transient S3 error then costs a retry, not a target
    // swapped without its files). A failing swap deletes the manifest with the files.
    let s3Report: CloneReport["outputs"]["s3"];
    if (s3out) {
      const { putManifest, classifyS3Error, manifestKeyOf, buildManifest } = this.s3lib!;
      const objects = plan.units.map((u) => s3Objects.get(u)!);
      this.uploadedKeys.push(manifestKeyOf(folder));
      const manifestKey = await putManifest(this.s3!, s3out.connection.bucket, folder, buildManifest(this.runId, plan.units, objects))
        .catch((err) => { throw classifyS3Error(err, s3out.connection.bucket); });
      s3Report = { bucket: s3out.connection.bucket, prefix: folder, manifestKey, objects };
    }
    this.checkAborted();

    // 7. Swap.
    let customizationResults: CloneReport["customizations"] = [];
    let skipped = [...plan.skipped, ...dependencies.notCopied];
    if (target) {
      this.emit({ type: "phase", phase: "swapping" });
      const info = targetInfo as Awaited<ReturnType<typeof fidelity.readTargetInfo>> | null;
      const objectStatements = objects ? fidelity.schemaObjectStatements(objects, {
        targetUser: info!.user, keepOwnership: target.keepOwnership, targetRoles: info!.roles, targetServerMajor: info!.serverMajor,
      }) : null;
      if (objectStatements) skipped = [...skipped, ...objectStatements.skipped];
      customizationResults = await this.swap(plan, customizations, objectStatements);
    }

    this.published = true;
    this.emit({ type: "phase", phase: "done" });
    for (const u of plan.units) this.tableProgress(u, { phase: "done" }, true);
    return buildCloneReport({
      plan, results, counts, privacyCheck, customizations: customizationResults, skipped, started,
      target: target ? { database: target.connection.database, schemas: plan.schemas } : undefined,
      s3: s3Report,
      unreviewedNulled: review.nulled,
    });
  }

  /** Index definitions bind through search_path (see catalog.ts); sorts get a large maintenance_work_mem. */
  private async prepareWriters(plan: ClonePlan) {
    const path = searchPath(plan, this.staging!);
    for (const w of this.writers) {
      await this.targetQuery(() => w.query(`SET search_path TO ${path}; SET maintenance_work_mem = '${MAINTENANCE_WORK_MEM}'`), "configuring index builds");
    }
  }

  /** After every copy, index and foreign key: sequences. */
  private async finishSequences(plan: ClonePlan, catalog: Catalog) {
    const staging = this.staging!;
    // Sequences: ownership, then the source's current values (read outside the snapshot:
    // sequences are not transactional; their value now is at least the snapshot's).
    const inClone = new Set(plan.relations.map((r) => r.oid));
    const seqs = catalog.sequences.filter((s) => sequenceInClone(s, inClone));
    const values: string[] = [];
    for (const s of seqs) {
      const row = await this.sourceQuery(this.coordinator!, async (c) => (await c.query(`SELECT last_value::text AS v, is_called FROM ${qname(s.schema, s.name)}`)).rows[0], `reading sequence ${s.schema}.${s.name}`);
      values.push(setvalStatement(s.schema, s.name, row.v, row.is_called, staging));
    }
    await this.targetQuery(async (c) => {
      for (const sql of [...sequenceOwnershipStatements(plan, catalog, staging), ...values]) await c.query(sql);
    }, "setting sequences");
  }

  private async swap(plan: ClonePlan, customizations: ReturnType<typeof prepareCustomizations>, objects: fidelity.ObjectStatements | null) {
    this.checkAborted();
    return this.targetQuery((c) => swapIntoPlace(c, {
      plan, staging: this.staging!, customizations, objects,
      statementTimeoutMs: this.def.options.statementTimeoutMs ?? 60_000,
      beforeSwapCommit: this.opts.beforeSwapCommit,
      emit: (e) => this.emit(e),
      checkAborted: () => this.checkAborted(),
      onCommitted: () => { this.committed = true; },
    }), "swapping the new tables into place");
  }

  private async openReader(snapshot: string): Promise<pg.Client> {
    const c = await this.open("source");
    await this.sourceQuery(c, async (cl) => {
      await cl.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      await cl.query(`SET TRANSACTION SNAPSHOT '${snapshot.replaceAll("'", "")}'`);
      // reg* values print qualified (catalog.ts, loadsAsText); a lock behind queued DDL fails the run (source-locks.ts).
      await cl.query("SET LOCAL search_path = ''");
      await cl.query(lockTimeoutStatement(this.opts.sourceLockTimeoutMs ?? DEFAULT_SOURCE_LOCK_TIMEOUT_MS));
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

  private async targetQuery<T>(fn: (c: pg.Client) => Promise<T>, what: string): Promise<T> {
    try {
      return await fn(this.control!);
    } catch (err) {
      if (this.signal.aborted) throw new EngineError("CANCELED", "The run was cancelled; the target was left as it was.", "", { cause: err });
      throw classifyPgError(err, "target", what);
    }
  }

  /** Drops the staging schemas (terminating this run's own target sessions first, so nothing holds their locks). */
  async cleanupAfterFailure() {
    for (const r of this.readers) await closeSession(r);
    this.readers = [];
    const target = this.def.outputs.target;
    if (target && this.stagingCreated && !this.committed && this.staging) {
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
    if (this.s3 && this.s3lib && this.uploadedKeys.length && this.def.outputs.s3 && !this.committed && !this.published) {
      await this.s3lib.deleteObjects(this.s3, this.def.outputs.s3.connection.bucket, this.uploadedKeys).catch(() => {
        this.emit({ type: "log", level: "warn", message: "Some uploaded files of this failed run could not be deleted; without a manifest they do not count as a run." });
      });
    }
  }

  async closeAll() {
    for (const c of [...this.readers, ...this.writers, this.coordinator, this.control]) await closeSession(c);
    this.readers = [];
    this.writers = [];
    this.coordinator = null;
    this.control = null;
    this.s3?.destroy();
  }
}

const label = (u: CopyUnit) => `${u.table.schema}.${u.table.name}`;

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
