import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminQuery, createTestDatabase, type TestDatabase } from "../../../../test/db";
import { introspectSource } from "../../../pipeline/introspect";
import { ZPgConnection } from "../../../schemas/connection";
import { createPrisma, type Db } from "../../db";
import { ensureTestSecretKey, makeOrg, makeUser } from "../../testing/fixtures";
import { saveConnection } from "../connections/save-connection";
import { getEditorCatalog } from "./editor-catalog";
import { listWorkflowVersions } from "./list-workflow-versions";
import { listWorkflows } from "./list-workflows";
import { previewColumn } from "./preview-column";
import { getRegisteredAction } from "../../action-registry";
import { saveWorkflow } from "./save-workflow";

// The workflow editor's services against a real app database and a real source database.

let tdb: TestDatabase;
let source: TestDatabase;
let db: Db;

const SOURCE_SQL = `
  CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL UNIQUE, phone text, created_at timestamptz NOT NULL DEFAULT now());
  CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), total numeric(10,2), ordered_at timestamptz NOT NULL);
  CREATE TABLE notes (id int PRIMARY KEY, body text);
  INSERT INTO customers VALUES (1, 'Wren Parker', 'wren.parker@example.test', '+1 555 010 1234', now()), (2, 'Sage Quinn', 'sage.quinn@example.test', '+1 555 010 9876', now());
  INSERT INTO orders VALUES (10, 1, 12.50, now()), (11, 2, 99.99, now());`;

beforeAll(async () => {
  ensureTestSecretKey();
  tdb = await createTestDatabase();
  source = await createTestDatabase({ template: null, prefix: "doppel_wf_src" });
  await runSql(source.url, SOURCE_SQL);
  db = createPrisma(tdb.url, { max: 4 });
});
afterAll(async () => {
  await db.$disconnect();
  await tdb.drop();
  await source.drop();
});

async function runSql(url: string, sql: string) {
  await adminQuery(url, sql);
}

/** An org with a source connection (tables listed, as the INTROSPECT job stores them), a target and an S3 connection. */
async function setup() {
  const owner = await makeUser(db);
  const org = await makeOrg(db, owner);
  const actor = { userId: owner.id, label: owner.email, role: "OWNER" as const };
  const u = new URL(source.url);
  const settings = { host: u.hostname, port: u.port || "5432", database: source.name, user: decodeURIComponent(u.username), tlsMode: "disable" };
  const password = decodeURIComponent(u.password);
  const src = await saveConnection({ db, orgId: org.id, actor, name: "Source", kind: "POSTGRES", settings, secret: password });
  const intro = await introspectSource(ZPgConnection.parse({ ...settings, password }));
  await db.connection.update({ where: { id: src.id }, data: { introspection: JSON.parse(JSON.stringify(intro)), introspectedAt: new Date() } });
  const tgt = await saveConnection({ db, orgId: org.id, actor, name: "Twin", kind: "POSTGRES", settings: { ...settings, database: "twin_db" } });
  const s3 = await saveConnection({ db, orgId: org.id, actor, name: "Bucket", kind: "S3", settings: { bucket: "exports", accessKeyId: "AK", endpoint: "http://s3.example.test:9" }, secret: "s" });
  return { org, actor, sourceId: src.id, targetId: tgt.id, s3Id: s3.id };
}

const baseInput = (s: Awaited<ReturnType<typeof setup>>, over: Record<string, unknown> = {}) => ({
  name: "Nightly twin",
  schedule: { enabled: false, cron: "" },
  config: {
    version: 1,
    sourceConnectionId: s.sourceId,
    tables: [
      { schema: "public", table: "customers", filter: { kind: "all" }, rules: { name: { rule: "fake", kind: "full_name" }, email: { rule: "fake", kind: "email" }, phone: { rule: "mask", format: "phone", keepLast: 4, maskChar: "*" } } },
      { schema: "public", table: "orders", filter: { kind: "window", columns: ["ordered_at"], days: 30 }, rules: {} },
    ],
    outputs: { target: { connectionId: s.targetId, keepOwnership: false } },
    ...over,
  },
});

describe("saving workflows", () => {
  it("each save is a new version (who, when), conditional on the version the editor started from", async () => {
    const s = await setup();
    const created = await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: baseInput(s) });
    expect(created.version).toBe(1);
    const input2 = baseInput(s);
    (input2.config.tables as { rules: Record<string, unknown> }[])[0].rules.phone = { rule: "null" };
    (input2.config.tables as unknown[]).push({ schema: "public", table: "notes", filter: { kind: "all" }, rules: { body: { rule: "constant", value: "(redacted)" } } });
    const second = await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: { ...input2, workflowId: created.id, baseVersion: 1 } });
    // Columns without a rule (and not "keep as is") are unreviewed: the version is a draft.
    expect(second).toMatchObject({ id: created.id, version: 2, draft: true });
    expect(second.unreviewed).toContainEqual({ schema: "public", table: "customers", columns: ["id", "created_at"] });
    expect((await db.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId: created.id, version: 2 } } })).draft).toBe(true);
    await expect(saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: { ...input2, workflowId: created.id, baseVersion: 1 } })).rejects.toMatchObject({ code: "CONFLICT" });
    const wf = await db.workflow.findUniqueOrThrow({ where: { id: created.id }, include: { versions: true } });
    expect(wf.currentVersion).toBe(2);
    expect(wf.versions.map((v) => [v.version, v.createdById])).toEqual(expect.arrayContaining([[1, s.actor.userId], [2, s.actor.userId]]));
    const history = await listWorkflowVersions({ db, orgId: s.org.id, workflowId: created.id });
    expect(history.map((h) => h.version)).toEqual([2, 1]);
    expect(history[1].changes).toEqual(["Created with 2 tables and 3 rules"]);
    expect(history[0].changes).toEqual(["Added public.notes", "Rules: customers.phone → null"]);
    expect(history[0].author).toMatch(/^Test User/);
    const [listed] = await listWorkflows({ db, orgId: s.org.id });
    expect(listed).toMatchObject({ name: "Nightly twin", version: 2, source: "Source", outputs: ["Twin"], tables: 3, lastRun: null });
  });

  it("validation messages are keyed to the fields at fault", async () => {
    const s = await setup();
    const bad = baseInput(s, {
      tables: [
        { schema: "public", table: "customers", filter: { kind: "window", columns: ["name"], days: 7 }, rules: { created_at: { rule: "fake", kind: "email" }, nope: { rule: "null" } } },
        { schema: "public", table: "missing", rules: {} },
      ],
      outputs: { target: { connectionId: s.sourceId }, s3: { connectionId: s.targetId, prefix: "x" } },
    });
    const err = await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: { ...bad, name: "ok", schedule: { enabled: true, cron: "every day" } } }).catch((e) => e);
    expect(err).toMatchObject({ code: "VALIDATION" });
    expect(Object.keys(err.fieldErrors).sort()).toEqual([
      "cron",
      "outputs/s3/connectionId",
      "outputs/target/connectionId",
      "table:public.customers/filter/columns/0",
      "table:public.customers/rules/created_at",
      "table:public.customers/rules/nope",
      "table:public.missing",
    ]);
    expect(err.fieldErrors["table:public.customers/filter/columns/0"][0]).toMatch(/not a date or timestamp/);
    expect(err.fieldErrors["outputs/target/connectionId"][0]).toMatch(/another database than the source/);
    const empty = await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: { name: " ", schedule: { enabled: false, cron: "" }, config: { version: 1, sourceConnectionId: "", tables: [], outputs: {} } } }).catch((e) => e);
    // The name is checked by the action's schema (ZSaveWorkflow); the config by the service.
    expect(Object.keys(empty.fieldErrors).sort()).toEqual(["outputs", "sourceConnectionId", "tables"]);
    expect(await db.workflow.count({ where: { orgId: s.org.id } })).toBe(0);
  });

  it("refuses a soft-delete column on a table that another selected table references, naming the key", async () => {
    const s = await setup();
    const input = baseInput(s, {
      tables: [
        { schema: "public", table: "customers", filter: { kind: "all" }, rules: { name: { rule: "fake", kind: "full_name" }, email: { rule: "fake", kind: "email" }, phone: { rule: "null" } }, delta: { column: "created_at", softDelete: "created_at" } },
        { schema: "public", table: "orders", filter: { kind: "all" }, rules: {}, delta: { column: "ordered_at" } },
      ],
      outputs: { target: { connectionId: s.targetId, keepOwnership: false, delta: {} } },
    });
    const err = await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input }).catch((e) => e);
    expect(err).toMatchObject({ code: "VALIDATION" });
    expect(Object.keys(err.fieldErrors)).toEqual(["table:public.customers/delta/softDelete"]);
    expect(err.fieldErrors["table:public.customers/delta/softDelete"][0]).toMatch(/public\.orders references it \(foreign key orders_customer_id_fkey\)/);
    // Without the referencing table, the same column is accepted.
    const alone = baseInput(s, { tables: [input.config.tables[0]], outputs: input.config.outputs });
    await expect(saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: alone })).resolves.toMatchObject({ id: expect.any(String) });
  });

  it("marks a migration dry-run workflow, which needs a target", async () => {
    const s = await setup();
    const noTarget = baseInput(s, { outputs: { s3: { connectionId: s.s3Id, prefix: "x" } } });
    await expect(saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: { ...noTarget, migrationDryRun: true } })).rejects.toMatchObject({
      fieldErrors: { migrationDryRun: [expect.stringMatching(/target/)] },
    });
    const { id } = await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: { ...baseInput(s), migrationDryRun: true } });
    expect((await db.workflow.findUniqueOrThrow({ where: { id } })).migrationDryRun).toBe(true);
  });

  it("keeps customizations made on their own page, and a new schedule only runs future ticks", async () => {
    const s = await setup();
    const { id } = await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: baseInput(s) });
    const v1 = await db.workflowVersion.findFirstOrThrow({ where: { workflowId: id, version: 1 } });
    const customizations = [{ name: "Company", statement: "UPDATE customers SET name = %(n)s WHERE id = 1", params: [{ name: "n", label: "Name", type: "text" }] }];
    await db.workflowVersion.create({ data: { workflowId: id, version: 2, config: { ...(v1.config as object), customizations } } });
    await db.workflow.update({ where: { id }, data: { currentVersion: 2 } });
    const before = new Date();
    await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: { ...baseInput(s), workflowId: id, baseVersion: 2, schedule: { enabled: true, cron: "0 3 * * *" } } });
    const v3 = await db.workflowVersion.findFirstOrThrow({ where: { workflowId: id, version: 3 } });
    expect((v3.config as { customizations: unknown }).customizations).toMatchObject(customizations);
    const wf = await db.workflow.findUniqueOrThrow({ where: { id } });
    expect(wf).toMatchObject({ cron: "0 3 * * *", scheduleEnabled: true, migrationDryRun: false });
    expect(wf.lastTickAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
  });
});

describe("editor catalog and preview", () => {
  it("offers only rules that fit each column and time columns for windows", async () => {
    const s = await setup();
    const catalog = await getEditorCatalog({ db, orgId: s.org.id, connectionId: s.sourceId });
    const customers = catalog.tables.find((t) => t.name === "customers")!;
    const col = (n: string) => customers.columns.find((c) => c.name === n)!;
    expect(col("email").rules).toContain("fake");
    expect(col("email").rules).not.toContain("date_shift");
    expect(col("email").rules).not.toContain("constant"); // unique column
    expect(col("created_at").rules).toContain("date_shift");
    expect(col("created_at").isTime).toBe(true);
    expect(col("email").fakeKinds).toContain("email");
    expect(catalog.tables.find((t) => t.name === "orders")!.foreignKeys).toEqual([{ name: "orders_customer_id_fkey", columns: ["customer_id"], references: { schema: "public", table: "customers", columns: ["id"] } }]);
  });

  it("shows real rows before -> after with originals masked; reveal returns them; other orgs get not-found", async () => {
    const s = await setup();
    const args = { db, orgId: s.org.id, connectionId: s.sourceId, schema: "public", table: "customers", column: "email", rule: { rule: "fake" as const, kind: "email" as const }, guard: false };
    const masked = await previewColumn({ ...args, reveal: false });
    expect(masked.rows).toHaveLength(2);
    for (const r of masked.rows) {
      expect(r.before).toMatch(/^[ws]•••@e•••\.test$/);
      expect(r.after).toMatch(/@/);
      expect(r.after).not.toMatch(/wren|sage/);
    }
    expect(JSON.stringify(masked)).not.toContain("wren.parker");
    const revealed = await previewColumn({ ...args, reveal: true });
    expect(revealed.rows.map((r) => r.before).sort()).toEqual(["sage.quinn@example.test", "wren.parker@example.test"]);
    expect(revealed.rows.map((r) => r.after)).toEqual(masked.rows.map((r) => r.after));
    await expect(previewColumn({ ...args, column: "created_at", reveal: false })).rejects.toMatchObject({ code: "VALIDATION", message: expect.stringMatching(/created_at/) });
    const other = await setup();
    await expect(previewColumn({ ...args, orgId: other.org.id, reveal: false })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("the server refuses reveal and save to editors and viewers; they may preview masked", async () => {
    await import("../../../../app/(app)/[orgSlug]/workflows/actions");
    const s = await setup();
    const editor = await makeUser(db);
    const viewer = await makeUser(db);
    await db.membership.createMany({ data: [{ orgId: s.org.id, userId: editor.id, role: "EDITOR" }, { orgId: s.org.id, userId: viewer.id, role: "VIEWER" }] });
    const input = { connectionId: s.sourceId, schema: "public", table: "customers", column: "email", rule: { rule: "fake", kind: "email" } };
    for (const user of [editor, viewer]) {
      const call = (name: string, body: unknown) => getRegisteredAction(name).invoke({ db, userId: user.id, orgSlug: s.org.slug, input: body });
      expect(await call("workflow.previewReveal", input)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(await call("workflow.save", baseInput(s))).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    }
    expect(await db.workflow.count({ where: { orgId: s.org.id } })).toBe(0);
    const { id: workflowId } = await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: baseInput(s) });
    for (const user of [editor, viewer]) {
      const call = (name: string, body: unknown) => getRegisteredAction(name).invoke({ db, userId: user.id, orgSlug: s.org.slug, input: body });
      const masked = await call("workflow.preview", { ...input, workflowId });
      expect(masked).toMatchObject({ ok: true, data: { revealed: false } });
      expect(JSON.stringify(masked)).not.toContain("@example.test");
    }
  });

  it("editors and viewers may not list the tables of a connection (the editor page passes them the saved source's list)", async () => {
    await import("../../../../app/(app)/[orgSlug]/workflows/actions");
    const s = await setup();
    const [editor, viewer] = [await makeUser(db), await makeUser(db)];
    await db.membership.createMany({ data: [{ orgId: s.org.id, userId: editor.id, role: "EDITOR" }, { orgId: s.org.id, userId: viewer.id, role: "VIEWER" }] });
    const call = (userId: string) => getRegisteredAction("workflow.sourceCatalog").invoke({ db, userId, orgSlug: s.org.slug, input: { connectionId: s.sourceId } });
    for (const user of [editor, viewer]) {
      const res = await call(user.id);
      expect(res).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
      expect(JSON.stringify(res)).not.toContain("customers");
    }
    expect(await call(s.actor.userId)).toMatchObject({ ok: true, data: { tables: expect.arrayContaining([expect.objectContaining({ name: "customers" })]) } });
  });

  it("editors and viewers preview only the saved rule: a rule sent by the browser that would show the originals is ignored", async () => {
    await import("../../../../app/(app)/[orgSlug]/workflows/actions");
    const s = await setup();
    const editor = await makeUser(db);
    await db.membership.create({ data: { orgId: s.org.id, userId: editor.id, role: "EDITOR" } });
    const call = (userId: string, body: unknown) => getRegisteredAction("workflow.preview").invoke({ db, userId, orgSlug: s.org.slug, input: body });
    const { id: workflowId } = await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: baseInput(s) }); // email: fake email
    const leaky = { rule: "mask", keepLast: 16, maskChar: "*" };
    const originals = ["@example.test", "Wren", "Parker", "Sage", "Quinn", "555 010"];
    const noOriginals = (res: unknown) => originals.forEach((o) => expect(JSON.stringify(res)).not.toContain(o));

    // The browser's rule is ignored: the saved fake rules apply.
    for (const column of ["name", "email"]) {
      const res = await call(editor.id, { workflowId, connectionId: s.sourceId, schema: "public", table: "customers", column, rule: leaky });
      expect(res).toMatchObject({ ok: true, data: { revealed: false, rows: [{ after: expect.any(String) }, { after: expect.any(String) }] } });
      noOriginals(res);
    }
    // Without a saved workflow or a saved rule for the column there is nothing to preview.
    expect(await call(editor.id, { connectionId: s.sourceId, schema: "public", table: "customers", column: "email", rule: leaky })).toMatchObject({ ok: false, error: { code: "VALIDATION" } });
    expect(await call(editor.id, { workflowId, connectionId: s.sourceId, schema: "public", table: "notes", column: "body", rule: { rule: "null" } })).toMatchObject({ ok: false, error: { code: "VALIDATION", message: expect.stringMatching(/no saved rule/) } });
    // The connection id sent by the browser is ignored too: the saved source is read.
    const other = await setup();
    expect(await call(editor.id, { workflowId, connectionId: other.sourceId, schema: "public", table: "customers", column: "email" })).toMatchObject({ ok: true });

    // An admin saved weak rules: the editor gets the afters that give the originals away withheld.
    const weak = baseInput(s);
    (weak.config.tables as { rules: Record<string, unknown> }[])[0].rules = { email: { rule: "fake", kind: "email" }, name: leaky, phone: { rule: "mask", keepLast: 12, maskChar: "*" } };
    await saveWorkflow({ db, orgId: s.org.id, actor: s.actor, input: { ...weak, workflowId, baseVersion: 1 } });
    for (const column of ["name", "phone"]) {
      const weakRes = await call(editor.id, { workflowId, connectionId: s.sourceId, schema: "public", table: "customers", column });
      expect(weakRes).toMatchObject({ ok: true, data: { rows: [{ after: null, withheld: true }, { after: null, withheld: true }] } });
      noOriginals(weakRes);
    }

    // An admin previews the unsaved rule as edited, and sees what it does (they may reveal anyway).
    const admin = await call(s.actor.userId, { workflowId, connectionId: s.sourceId, schema: "public", table: "customers", column: "name", rule: { rule: "constant", value: "Someone" } });
    expect(admin).toMatchObject({ ok: true, data: { rows: [{ after: "Someone" }, { after: "Someone" }] } });
  });
});
