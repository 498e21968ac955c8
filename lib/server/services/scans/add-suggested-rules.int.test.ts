import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registeredActions } from "../../action-registry";
import type { Db } from "../../db";
import { type AppTestDatabase, makeOrg, makeUser, openAppTestDatabase } from "../../testing/fixtures";
import { addSuggestedRules } from "./add-suggested-rules";
import { getDrift } from "./get-drift";

// The scanner's suggestions into a workflow, on a real app database: one finding, or all the
// uncovered findings as one version through createWorkflowVersion; conflicts, another source,
// another organisation, and the workflow-update permission of the server actions.

let db: Db;
let app: AppTestDatabase;
beforeAll(async () => {
  app = await openAppTestDatabase({ poolMax: 1 });
  ({ db } = app);
  await import("../../../../app/(app)/[orgSlug]/scan/actions");
});
afterAll(() => app.close());

const finding = (column: string, category: string, confidence: number, suggestedRule: Record<string, unknown> | null) => ({
  column, dataType: "text", category, confidence, matches: 20, sampled: 20, reasons: ["values"], examples: ["j***@e***.com"], suggestedRule, alternatives: [],
});

const report = () => ({
  scannedAt: new Date().toISOString(), sampleSize: 200, skipped: [], totals: { tables: 3, columnsScanned: 12, columnsFlagged: 8, durationMs: 30 },
  tables: [
    { schema: "public", table: "customers", rowsEstimate: 1000, clean: ["id"], columns: [
      finding("email", "email", 0.98, { rule: "fake", kind: "email" }),
      finding("phone", "phone", 0.9, { rule: "mask", format: "phone", keepLast: 4, maskChar: "*" }),
      finding("born_on", "birth_date", 0.85, { rule: "date_shift", maxDays: 180 }),
      finding("notes", "free_text_pii", 0.7, { rule: "keep" }),
      finding("passport", "unique_id", 0.8, null),
      finding("nickname", "username", 0.3, { rule: "hash", length: 16, encoding: "hex" }),
    ] },
    { schema: "public", table: "orders", rowsEstimate: 5000, clean: [], columns: [finding("ship_to", "street_address", 0.8, { rule: "fake", kind: "street_address" })] },
    { schema: "public", table: "tickets", rowsEstimate: 10, clean: [], columns: [finding("contact", "email", 0.9, { rule: "fake", kind: "email" })] },
  ],
});

async function setup(members: { role: "ADMIN" | "EDITOR" }[] = []) {
  const owner = await makeUser(db);
  const others = await Promise.all(members.map(() => makeUser(db)));
  const org = await makeOrg(db, owner, members.map((m, i) => ({ user: others[i]!, role: m.role })));
  const source = await db.connection.create({ data: { orgId: org.id, name: "prod", kind: "POSTGRES", config: { host: "h", database: "d", user: "u" } } });
  const target = await db.connection.create({ data: { orgId: org.id, name: "twin", kind: "POSTGRES", config: { host: "h", database: "t", user: "u" } } });
  const workflow = await db.workflow.create({ data: { orgId: org.id, name: "Support twin" } });
  await db.workflowVersion.create({
    data: {
      workflowId: workflow.id, version: 1,
      config: {
        version: 1, sourceConnectionId: source.id, outputs: { target: { connectionId: target.id } },
        tables: [
          // email has a rule of its own; notes was reviewed and kept as is.
          { schema: "public", table: "customers", rules: { email: { rule: "hash" }, notes: { rule: "keep" } } },
          { schema: "public", table: "orders", rules: {} },
        ],
      },
    },
  });
  const scan = await db.job.create({ data: { orgId: org.id, kind: "PII_SCAN", status: "SUCCEEDED", connectionId: source.id, finishedAt: new Date(), report: report() as object } });
  const actor = { userId: owner.id, label: owner.email, role: "OWNER" as const };
  return { owner, others, org, source, target, workflow, scan, actor };
}

type Stored = { tables: { table: string; rules: Record<string, { rule: string }> }[] };
const versionOf = async (workflowId: string) => (await db.workflow.findUniqueOrThrow({ where: { id: workflowId } })).currentVersion;
const rulesOf = async (workflowId: string) => {
  const v = await db.workflowVersion.findUniqueOrThrow({ where: { workflowId_version: { workflowId, version: await versionOf(workflowId) } } });
  return Object.fromEntries((v.config as Stored).tables.flatMap((t) => Object.entries(t.rules).map(([c, r]) => [`${t.table}.${c}`, r])));
};

describe("addSuggestedRules", () => {
  it("add all: every uncovered finding of the copied tables, in one new version, described and audited", async () => {
    const s = await setup();
    // The drift banner offers what "add all" adds.
    expect((await getDrift({ db, orgId: s.org.id, workflowId: s.workflow.id })).addable).toBe(3);
    const res = await addSuggestedRules({ db, orgId: s.org.id, actor: s.actor, input: { jobId: s.scan.id, workflowId: s.workflow.id } });
    expect(res.version).toBe(2);
    expect(res.added.map((a) => [`${a.table}.${a.column}`, a.description])).toEqual([
      ["customers.phone", "Mask phone number, keep its format and last 4"],
      ["customers.born_on", "Shift dates by up to 180 days"],
      ["orders.ship_to", "Fake street address"],
    ]);
    // No rule fits passport: left to the editor, and said so.
    expect(res.skipped).toEqual([{ schema: "public", table: "customers", column: "passport", reason: expect.stringMatching(/no rule fits/) }]);
    const rules = await rulesOf(s.workflow.id);
    // Existing decisions stay (email's hash, notes kept as is); the weak nickname hint and the
    // tickets table, which the workflow does not copy, are left alone.
    expect(rules).toEqual({
      "customers.email": { rule: "hash", length: 16, encoding: "hex" },
      "customers.notes": { rule: "keep" },
      "customers.phone": { rule: "mask", format: "phone", keepLast: 4, maskChar: "*" },
      "customers.born_on": { rule: "date_shift", maxDays: 180 },
      "orders.ship_to": { rule: "fake", kind: "street_address" },
    });
    expect(await db.workflowVersion.count({ where: { workflowId: s.workflow.id } })).toBe(2);
    const audit = await db.auditLog.findMany({ where: { orgId: s.org.id, action: "workflow.rules_added" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ target: "Support twin", details: { workflowId: s.workflow.id, jobId: s.scan.id, count: 3, version: 2, columns: expect.stringContaining("public.orders.ship_to: Fake street address") } });
    // The drift banner has nothing left to offer.
    expect(await getDrift({ db, orgId: s.org.id, workflowId: s.workflow.id })).toMatchObject({ addable: 0, columns: [{ column: "passport", suggestedRule: null }] });

    // Nothing left to add: a conflict, and no version or audit entry.
    await expect(addSuggestedRules({ db, orgId: s.org.id, actor: s.actor, input: { jobId: s.scan.id, workflowId: s.workflow.id } })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/already has a rule for every finding/) });
    expect(await versionOf(s.workflow.id)).toBe(2);
    expect(await db.auditLog.count({ where: { orgId: s.org.id, action: "workflow.rules_added" } })).toBe(1);
  });

  it("add one: a column that already has a rule (or keep as is) is a conflict naming the rule; a weak hint can be added on its own", async () => {
    const s = await setup();
    const one = (table: string, column: string) => addSuggestedRules({ db, orgId: s.org.id, actor: s.actor, input: { jobId: s.scan.id, workflowId: s.workflow.id, only: { schema: "public", table, column } } });
    await expect(one("customers", "email")).rejects.toMatchObject({ code: "CONFLICT", message: "customers.email already has a rule in that workflow (Hash); change it in the workflow editor." });
    await expect(one("customers", "notes")).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringContaining("(Keep as is)") });
    await expect(one("customers", "passport")).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/No rule fits customers.passport/) });
    await expect(one("customers", "missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await versionOf(s.workflow.id)).toBe(1);

    const res = await one("customers", "nickname");
    expect(res).toMatchObject({ version: 2, added: [{ column: "nickname", description: "Hash" }], skipped: [] });
    // One finding of a table the workflow does not copy adds that table.
    await one("tickets", "contact");
    expect(Object.keys(await rulesOf(s.workflow.id))).toEqual(["customers.email", "customers.notes", "customers.nickname", "tickets.contact"]);
    expect(await db.auditLog.findMany({ where: { orgId: s.org.id, action: "workflow.rule_added" }, select: { target: true } })).toEqual([{ target: "public.customers.nickname" }, { target: "public.tickets.contact" }]);
  });

  it("refuses another source's workflow, and another organisation's workflow or scan, changing nothing there", async () => {
    const a = await setup();
    const b = await setup();
    const elsewhere = await db.workflow.create({ data: { orgId: a.org.id, name: "Elsewhere" } });
    await db.workflowVersion.create({ data: { workflowId: elsewhere.id, version: 1, config: { version: 1, sourceConnectionId: a.target.id, tables: [{ schema: "public", table: "customers" }], outputs: { target: { connectionId: a.source.id } } } } });
    const all = (jobId: string, workflowId: string) => addSuggestedRules({ db, orgId: a.org.id, actor: a.actor, input: { jobId, workflowId } });
    await expect(all(a.scan.id, elsewhere.id)).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/another connection/) });
    await expect(all(a.scan.id, b.workflow.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(all(b.scan.id, a.workflow.id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(addSuggestedRules({ db, orgId: a.org.id, actor: a.actor, input: { jobId: a.scan.id, workflowId: b.workflow.id, only: { schema: "public", table: "customers", column: "phone" } } })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect([await versionOf(b.workflow.id), await versionOf(a.workflow.id), await versionOf(elsewhere.id)]).toEqual([1, 1, 1]);
    expect(await db.auditLog.count({ where: { orgId: { in: [a.org.id, b.org.id] }, action: { in: ["workflow.rules_added", "workflow.rule_added"] } } })).toBe(0);
  });

  it("the actions need workflow update permission: an editor is refused, an admin adds", async () => {
    const s = await setup([{ role: "EDITOR" }, { role: "ADMIN" }]);
    const [editor, admin] = s.others;
    const action = registeredActions().find((x) => x.name === "scan.addAllRules")!;
    const input = { jobId: s.scan.id, workflowId: s.workflow.id };
    expect(await action.invoke({ db, userId: editor!.id, orgSlug: s.org.slug, input })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await versionOf(s.workflow.id)).toBe(1);
    expect(await action.invoke({ db, userId: admin!.id, orgSlug: s.org.slug, input })).toMatchObject({ ok: true, data: { version: 2 } });
    const one = registeredActions().find((x) => x.name === "scan.addRule")!;
    expect(await one.invoke({ db, userId: editor!.id, orgSlug: s.org.slug, input: { ...input, schema: "public", table: "customers", column: "nickname" } })).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });
});
