import type pg from "pg";
import type { ClonePlan } from "./plan";
import { qi } from "./connect";
import { runCustomizations, type prepareCustomizations } from "./customizations";
import { EngineError, withStatement } from "./errors";
import * as fidelity from "./schema-objects";
import { describeStatement, type Staging } from "./staging-ddl";
import { defaultStatements, lateCheckStatements, regTypeStatements, replicaAndClusterStatements } from "./swap-statements";
import type { CloneReport, ProgressEvent } from "./types";

// The swap: one short transaction on the target that renames the previous schemas away and the
// staging schemas into place, adds column defaults, the CHECKs whose functions read other tables
// (validated here, on the loaded rows), REPLICA IDENTITY and CLUSTER ON, the schema objects
// (views, functions, triggers...), gives reg* columns staged as text their types back, runs the
// customizations and the caller's fencing check, and commits; then the previous schemas are
// dropped (waiting at most 60 s for their readers). Readers see the old schemas or the new ones,
// never a mix.

export type SwapOptions = {
  plan: ClonePlan;
  staging: Staging;
  customizations: ReturnType<typeof prepareCustomizations>;
  objects: fidelity.ObjectStatements | null;
  statementTimeoutMs: number;
  beforeSwapCommit?: () => Promise<void>;
  emit: (event: ProgressEvent) => void;
  checkAborted: () => void;
  onCommitted: () => void;
};

export async function swapIntoPlace(c: pg.Client, o: SwapOptions): Promise<CloneReport["customizations"]> {
  const run = (sql: string) => c.query(sql).catch((err) => { throw withStatement(err, describeStatement(sql, null)); });
  await c.query("BEGIN");
  const { rows } = await c.query("SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])", [o.plan.schemas]);
  const existing = new Set(rows.map((r) => r.nspname as string));
  const replaced = o.plan.schemas.filter((s) => existing.has(s)).map((s) => ({ schema: s, stagingSchema: o.staging.names.get(s)! }));
  for (const sql of await fidelity.extensionRelocationStatements(c, replaced)) await c.query(sql);
  for (const s of o.plan.schemas) {
    if (existing.has(s)) await c.query(`ALTER SCHEMA ${qi(s)} RENAME TO ${qi(o.staging.oldNames.get(s)!)}`);
    await c.query(`ALTER SCHEMA ${qi(o.staging.names.get(s)!)} RENAME TO ${qi(s)}`);
  }
  await c.query(`SET LOCAL search_path TO ${o.plan.schemas.map(qi).join(", ")}`);
  for (const sql of defaultStatements(o.plan)) await run(sql);
  for (const sql of lateCheckStatements(o.plan)) await run(sql);
  for (const sql of replicaAndClusterStatements(o.plan)) await run(sql);
  if (o.objects) {
    o.emit({ type: "log", level: "info", message: `Creating ${o.objects.statements.length} schema object statements.` });
    for (const sql of o.objects.statements) await run(sql);
    for (const sql of o.objects.refreshMaterializedViews) await run(sql);
    await c.query(`SET LOCAL search_path TO ${o.plan.schemas.map(qi).join(", ")}`);
  }
  // After the schema objects: a regproc value may name one of the functions just created.
  for (const r of regTypeStatements(o.plan)) {
    await c.query(r.sql).catch((err) => {
      // The server's message would quote a value (an object name held in a row): name the column instead.
      throw new EngineError("TARGET_DDL_FAILED", `Column ${r.column} holds ${r.type} values that name objects the twin does not have (such values are copied by name).`,
        "Select the tables, schemas or functions those values name as well, or set the column to NULL with a rule or customization; the previous target is unchanged.", { cause: err });
    });
  }
  o.emit({ type: "phase", phase: "customizing" });
  const results = await runCustomizations(c, o.customizations, o.statementTimeoutMs);
  if (o.beforeSwapCommit) {
    try {
      await o.beforeSwapCommit();
    } catch (err) {
      throw err instanceof EngineError ? err
        : new EngineError("CANCELED", "The run was stopped right before publishing (its job is no longer held by this worker); the previous target is unchanged.", "", { cause: err });
    }
  }
  o.checkAborted();
  await c.query("COMMIT");
  o.onCommitted();
  // Dropping the old tables waits for readers still using them; do not wait forever.
  await c.query("SET lock_timeout = '60s'");
  for (const s of o.plan.schemas) {
    if (!existing.has(s)) continue;
    await c.query(`DROP SCHEMA IF EXISTS ${qi(o.staging.oldNames.get(s)!)} CASCADE`).catch(() => {
      o.emit({ type: "log", level: "warn", message: `The previous copy of schema ${s} could not be dropped; the next run removes it.` });
    });
  }
  return results;
}
