import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db";
import { type AppTestDatabase, makeOrg, makeUser , openAppTestDatabase } from "../../testing/fixtures";
import { addSuggestedRules } from "./add-suggested-rules";
import { ZWorkflowDefinition } from "../../../schemas/workflow";
import { saveWorkflow } from "../workflows/save-workflow";
import { getDrift, unreviewedFindings } from "./get-drift";
import { getScanResult, listScans, workflowsForSource } from "./scan-result";
import { startScan } from "./start-scan";

// The PII scanner's web side on a real app database: starting a scan, reading its stored result,
// one-click rules (new workflow versions) and schema drift. The scan itself (sampling and
// classification) is tested in lib/pii and through a real worker in e2e/scan.spec.ts.

let db: Db;
let pool: pg.Pool;
let app: AppTestDatabase;
beforeAll(async () => {
  app = await openAppTestDatabase({ poolMax: 3 });
  ({ db, pool } = app);
});
afterAll(() => app.close());

const column = (name: string, category: string, confidence: number, suggestedRule: Record<string, string | number>) => ({
  column: name, dataType: "text", category, confidence, matches: 20, sampled: 20, reasons: ["values"], examples: ["j***@e***.com"], suggestedRule, alternatives: [],
});

function scanReport() {
  return {
    scannedAt: new Date().toISOString(), sampleSize: 200, skipped: [], totals: { tables: 2, columnsScanned: 9, columnsFlagged: 4, durationMs: 30 },
    tables: [
      { schema: "public", table: "customers", rowsEstimate: 1000, clean: ["id"], columns: [
        column("email", "email", 0.98, { rule: "fake", kind: "email" }),
        column("phone", "phone", 0.9, { rule: "fake", kind: "phone" }),
        column("nickname", "username", 0.3, { rule: "hash", length: 16, encoding: "hex" }),
      ] },
      { schema: "public", table: "orders", rowsEstimate: 5000, clean: [], columns: [column("shipping_address", "street_address", 0.8, { rule: "fake", kind: "street_address" })] },
    ],
  };
}

/** "Add to workflow W": one finding. */
function addSuggestedRule({ input, ...opts }: Omit<Parameters<typeof addSuggestedRules>[0], "input"> & { input: { jobId: string; workflowId: string; schema: string; table: string; column: string } }) {
  const { jobId, workflowId, ...only } = input;
  return addSuggestedRules({ ...opts, input: { jobId, workflowId, only } }).then((r) => ({ version: r.version, rule: r.added[0]!.rule.rule }));
}

async function setup() {
  const owner = await makeUser(db);
  const org = await makeOrg(db, owner);
  const source = await db.connection.create({ data: { orgId: org.id, name: "prod", kind: "POSTGRES", config: { host: "h", database: "d", user: "u" } } });
  const other = await db.connection.create({ data: { orgId: org.id, name: "other", kind: "POSTGRES", config: { host: "h", database: "e", user: "u" } } });
  const s3 = await db.connection.create({ data: { orgId: org.id, name: "bucket", kind: "S3", config: { bucket: "b" } } });
  const workflow = await db.workflow.create({ data: { orgId: org.id, name: "Twin" } });
  await db.workflowVersion.create({
    data: { workflowId: workflow.id, version: 1, createdAt: new Date(Date.now() - 3600_000), config: { version: 1, sourceConnectionId: source.id, tables: [{ schema: "public", table: "customers", rules: { email: { rule: "fake", kind: "email" } } }], outputs: { target: { connectionId: other.id } } } },
  });
  const scan = await db.job.create({ data: { orgId: org.id, kind: "PII_SCAN", status: "SUCCEEDED", connectionId: source.id, finishedAt: new Date(), report: scanReport() } });
  const actor = { userId: owner.id, label: owner.email, role: "OWNER" as const };
  return { owner, org, source, other, s3, workflow, scan, actor };
}

describe("PII scans", () => {
  it("start: queues a PII_SCAN job for a PostgreSQL connection of this organisation only", async () => {
    const s = await setup();
    const { jobId } = await startScan({ db, pool, orgId: s.org.id, userId: s.owner.id, connectionId: s.source.id });
    expect(await db.job.findUniqueOrThrow({ where: { id: jobId } })).toMatchObject({ kind: "PII_SCAN", status: "QUEUED", connectionId: s.source.id, triggeredByUserId: s.owner.id });
    await expect(startScan({ db, pool, orgId: s.org.id, userId: s.owner.id, connectionId: s.s3.id })).rejects.toMatchObject({ code: "VALIDATION" });
    const b = await setup();
    await expect(startScan({ db, pool, orgId: s.org.id, userId: s.owner.id, connectionId: b.source.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await db.job.count({ where: { connectionId: b.source.id, status: "QUEUED" } })).toBe(0);
    const list = await listScans({ db, orgId: s.org.id });
    expect(list.map((x) => [x.connection?.name, x.status, x.flagged])).toEqual([["prod", "QUEUED", null], ["prod", "SUCCEEDED", 4]]);
  });

  it("results are re-parsed; another organisation's scan is missing", async () => {
    const s = await setup();
    const r = await getScanResult({ db, orgId: s.org.id, jobId: s.scan.id });
    expect(r.result?.tables.map((t) => t.table)).toEqual(["customers", "orders"]);
    const b = await setup();
    await expect(getScanResult({ db, orgId: s.org.id, jobId: b.scan.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await workflowsForSource({ db, orgId: s.org.id, connectionId: s.source.id })).map((w) => w.name)).toEqual(["Twin"]);
    expect(await workflowsForSource({ db, orgId: s.org.id, connectionId: s.other.id })).toEqual([]);
  });

  it("one click adds the suggested rule as a new version; a covered column is refused; drift shows what is left", async () => {
    const s = await setup();
    const before = await getDrift({ db, orgId: s.org.id, workflowId: s.workflow.id });
    // email has a rule; nickname is below the banner's confidence; orders is not copied.
    expect(before.columns.map((c) => `${c.table}.${c.column}`)).toEqual(["customers.phone"]);
    expect(before).toMatchObject({ scanJobId: s.scan.id, sinceVersion: true });

    const added = await addSuggestedRule({ db, orgId: s.org.id, actor: s.actor, input: { jobId: s.scan.id, workflowId: s.workflow.id, schema: "public", table: "customers", column: "phone" } });
    expect(added).toEqual({ version: 2, rule: "fake" });
    const v2 = await db.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId: s.workflow.id, version: 2 } } });
    expect((v2.config as { tables: { rules: Record<string, unknown> }[] }).tables[0]!.rules).toEqual({ email: { rule: "fake", kind: "email" }, phone: { rule: "fake", kind: "phone" } });
    expect((await getDrift({ db, orgId: s.org.id, workflowId: s.workflow.id })).columns).toEqual([]);

    await expect(addSuggestedRule({ db, orgId: s.org.id, actor: s.actor, input: { jobId: s.scan.id, workflowId: s.workflow.id, schema: "public", table: "customers", column: "email" } })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(addSuggestedRule({ db, orgId: s.org.id, actor: s.actor, input: { jobId: s.scan.id, workflowId: s.workflow.id, schema: "public", table: "customers", column: "nope" } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A table the workflow does not copy yet is added with the rule.
    await addSuggestedRule({ db, orgId: s.org.id, actor: s.actor, input: { jobId: s.scan.id, workflowId: s.workflow.id, schema: "public", table: "orders", column: "shipping_address" } });
    const v3 = await db.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId: s.workflow.id, version: 3 } } });
    expect((v3.config as { tables: { table: string; filter: unknown }[] }).tables.map((t) => [t.table, t.filter])).toEqual([["customers", { kind: "all" }], ["orders", { kind: "all" }]]);
    expect(await db.auditLog.count({ where: { orgId: s.org.id, action: "workflow.rule_added" } })).toBe(2);
  });

  it("a run refused for unreviewed columns gets each column's latest finding (flagged, clean, not scanned) for the job page", async () => {
    const s = await setup();
    const found = await unreviewedFindings({ db, orgId: s.org.id, workflowId: s.workflow.id, unreviewed: [{ schema: "public", table: "customers", columns: ["phone", "id", "ssn"] }] });
    expect(found.scanJobId).toBe(s.scan.id);
    expect(found.columns).toEqual([
      { schema: "public", table: "customers", column: "phone", scanState: "flagged", scan: expect.objectContaining({ category: "phone", confidence: 0.9, suggestedRule: "Fake phone number", finding: "looks like phone or fax numbers, 20 of 20 samples" }) },
      { schema: "public", table: "customers", column: "id", scanState: "clean", scan: null },
      { schema: "public", table: "customers", column: "ssn", scanState: "unscanned", scan: null },
    ]);
    const b = await setup();
    await expect(unreviewedFindings({ db, orgId: s.org.id, workflowId: b.workflow.id, unreviewed: [] })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a suggested rule that does not fit the column's type in the source's cached catalog", async () => {
    const s = await setup();
    const col = (name: string, typeName: string, baseType: string, category: string) => ({ name, typeName, baseType, category, maxLength: null, notNull: false, unique: false, generated: false, identity: false, hasDefault: false });
    const customers = { schema: "public", name: "customers", kind: "table", partitionOf: null, rowsEstimate: 1000, bytes: 8192, primaryKey: ["id"], foreignKeys: [],
      columns: [col("id", "bigint", "int8", "N"), col("email", "text", "text", "S"), col("phone", "integer", "int4", "N"), col("nickname", "text", "text", "S")] };
    await db.connection.update({ where: { id: s.source.id }, data: { introspection: { serverVersion: 150000, schemas: ["public"], tables: [customers] }, introspectedAt: new Date() } });
    const input = { jobId: s.scan.id, workflowId: s.workflow.id, schema: "public", table: "customers" };
    // The scanner suggests fake phone numbers, but the column is an integer.
    await expect(addSuggestedRule({ db, orgId: s.org.id, actor: s.actor, input: { ...input, column: "phone" } })).rejects.toMatchObject({
      code: "VALIDATION", message: expect.stringMatching(/phone.*integer.*only fits text/), fieldErrors: { "table:public.customers/rules/phone": [expect.any(String)] },
    });
    expect((await db.workflow.findUniqueOrThrow({ where: { id: s.workflow.id } })).currentVersion).toBe(1);
    expect(await db.auditLog.count({ where: { orgId: s.org.id, action: "workflow.rule_added" } })).toBe(0);
    // A rule that fits is added.
    await expect(addSuggestedRule({ db, orgId: s.org.id, actor: s.actor, input: { ...input, column: "nickname" } })).resolves.toEqual({ version: 2, rule: "hash" });
  });

  it("refuses a workflow of another source or another organisation", async () => {
    const s = await setup();
    const elsewhere = await db.workflow.create({ data: { orgId: s.org.id, name: "Elsewhere" } });
    await db.workflowVersion.create({ data: { workflowId: elsewhere.id, version: 1, config: { version: 1, sourceConnectionId: s.other.id, tables: [{ schema: "public", table: "customers" }], outputs: { target: { connectionId: s.source.id } } } } });
    const input = { jobId: s.scan.id, schema: "public", table: "customers", column: "phone" };
    await expect(addSuggestedRule({ db, orgId: s.org.id, actor: s.actor, input: { ...input, workflowId: elsewhere.id } })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/another connection/) });
    const b = await setup();
    await expect(addSuggestedRule({ db, orgId: s.org.id, actor: s.actor, input: { ...input, workflowId: b.workflow.id } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addSuggestedRule({ db, orgId: s.org.id, actor: s.actor, input: { ...input, jobId: b.scan.id, workflowId: s.workflow.id } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await db.workflow.findUniqueOrThrow({ where: { id: b.workflow.id } })).currentVersion).toBe(1);
    await expect(getDrift({ db, orgId: s.org.id, workflowId: b.workflow.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("drift: a column added to the source since the version was saved, without a rule, is reported with the scan's finding", async () => {
    const s = await setup();
    const col = (name: string) => ({ name, typeName: "text", baseType: "text", category: "S", maxLength: null, notNull: false, unique: false, generated: false, identity: false, hasDefault: false });
    const introspect = (columns: string[]) =>
      db.connection.update({ where: { id: s.source.id }, data: { introspectedAt: new Date(), introspection: { serverVersion: 150000, schemas: ["public"], tables: [
        { schema: "public", name: "customers", kind: "table", partitionOf: null, rowsEstimate: 1000, bytes: 8192, primaryKey: ["id"], foreignKeys: [], columns: columns.map(col) },
      ] } } });
    await introspect(["id", "email", "phone", "fax"]);
    const save = (baseVersion?: number, workflowId?: string) => saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: {
      workflowId, baseVersion, name: "Drift twin", schedule: { enabled: false, cron: "" },
      config: { sourceConnectionId: s.source.id, tables: [{ schema: "public", table: "customers", rules: { email: { rule: "fake", kind: "email" } } }], outputs: { target: { connectionId: s.other.id } } },
    } });
    const { id: workflowId } = await save();
    const stored = (await db.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId, version: 1 } } })).config as { tables: { knownColumns?: string[] }[] };
    expect(stored.tables[0]!.knownColumns).toEqual(["id", "email", "phone", "fax"]);
    // The engine never sees it.
    expect(ZWorkflowDefinition.parse({ version: 1, source: { host: "h", database: "d", user: "u" }, tables: stored.tables, outputs: { target: { connection: { host: "h", database: "t", user: "u" } } }, hashSalt: "x".repeat(16) }).tables[0]).not.toHaveProperty("knownColumns");
    // Nothing new yet: only the scan's flagged column without a rule.
    const before = await getDrift({ db, orgId: s.org.id, workflowId });
    expect([before.newColumns, before.goneColumns, before.columns.map((c) => c.column)]).toEqual([[], [], ["phone"]]);

    // The source gains nickname (flagged by the scan, below the banner's threshold), notes (clean) and tier (not scanned); fax is dropped.
    await introspect(["id", "email", "phone", "nickname", "notes", "tier"]);
    const report = scanReport();
    report.tables[0]!.clean = ["id", "notes"];
    const scan = await db.job.create({ data: { orgId: s.org.id, kind: "PII_SCAN", status: "SUCCEEDED", connectionId: s.source.id, finishedAt: new Date(Date.now() + 1000), report } });
    const drift = await getDrift({ db, orgId: s.org.id, workflowId });
    expect(drift.scanJobId).toBe(scan.id);
    expect(drift.newColumns).toEqual([
      { schema: "public", table: "customers", column: "nickname", dataType: "text", scanState: "flagged", scan: { category: "username", categoryLabel: expect.any(String), confidence: 0.3, finding: "looks like usernames, 20 of 20 samples", suggestedRule: "Hash", example: "j***@e***.com" } },
      { schema: "public", table: "customers", column: "notes", dataType: "text", scanState: "clean", scan: null },
      { schema: "public", table: "customers", column: "tier", dataType: "text", scanState: "unscanned", scan: null },
    ]);
    expect(drift.goneColumns).toEqual([{ schema: "public", table: "customers", column: "fax" }]);
    expect(drift.columns.map((c) => c.column)).toEqual(["phone"]);

    // A suggested rule covers nickname but acknowledges nothing else: the other new columns stay new.
    await addSuggestedRule({ db, orgId: s.org.id, actor: s.actor, input: { jobId: scan.id, workflowId, schema: "public", table: "customers", column: "nickname" } });
    const v2 = (await db.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId, version: 2 } } })).config as { tables: { knownColumns?: string[] }[] };
    expect(v2.tables[0]!.knownColumns).toEqual(["id", "email", "phone", "fax"]);
    expect((await getDrift({ db, orgId: s.org.id, workflowId })).newColumns.map((c) => c.column)).toEqual(["notes", "tier"]);

    // Saving in the editor (where every column is shown) records the current columns.
    await save(2, workflowId);
    const after = await getDrift({ db, orgId: s.org.id, workflowId });
    expect([after.newColumns, after.goneColumns, after.columns.map((c) => c.column)]).toEqual([[], [], ["phone"]]);
  });
});
