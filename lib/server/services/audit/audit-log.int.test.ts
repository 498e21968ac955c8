import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAuditFilter } from "../../../schemas/audit-filter";
import { recordAudit, type AuditAction } from "../../audit";
import type { Db } from "../../db";
import { makeOrg, makeUser, openAppTestDatabase, type AppTestDatabase } from "../../testing/fixtures";
import { AUDIT_CSV_HEADER, auditCsvLine } from "./audit-csv";
import { AUDIT_PAGE_SIZE, decodeAuditCursor, eachAuditLogBatch, listAuditActors, listAuditLog } from "./list-audit-log";

// The audit log's filter (actor, action, UTC date range), its pages and its CSV rows, on a real
// database with two organisations: nothing of org B ever shows in org A's log, whatever the filter.

let app: AppTestDatabase;
let db: Db;
let fx: Awaited<ReturnType<typeof seed>>;

async function at(orgId: string | null, actor: { id: string; email: string }, action: AuditAction, when: string, extra: { target?: string; details?: Record<string, string> } = {}) {
  await recordAudit({ orgId, actor: { id: actor.id, label: actor.email }, action, ...extra }, db);
  // recordAudit stamps now(); move the row to the day the case needs.
  const row = await db.auditLog.findFirstOrThrow({ where: { actorId: actor.id, action }, orderBy: { createdAt: "desc" } });
  await db.auditLog.update({ where: { id: row.id }, data: { createdAt: new Date(when) } });
}

async function seed() {
  const alice = await makeUser(db);
  const bob = await makeUser(db);
  const mallory = await makeUser(db);
  const orgA = await makeOrg(db, alice, [{ user: bob, role: "ADMIN" }]);
  const orgB = await makeOrg(db, mallory, [{ user: alice, role: "VIEWER" }]);
  // makeOrg records org.created now; pin those to a known day too.
  await db.auditLog.updateMany({ where: { action: "org.created" }, data: { createdAt: new Date("2026-01-01T09:00:00Z") } });
  await at(orgA.id, alice, "invite.sent", "2026-03-01T10:00:00Z", { target: "=HYPERLINK(\"http://evil.test\")", details: { role: "EDITOR" } });
  await at(orgA.id, bob, "member.role_changed", "2026-03-02T23:59:59.999Z", { target: "x@example.test", details: { from: "VIEWER", to: "ADMIN" } });
  await at(orgA.id, alice, "api_key.created", "2026-03-03T00:00:00Z", { target: "CI, \"main\"", details: { role: "EDITOR", prefix: "dpl_secretpfx" } });
  // Org B: the same actions, by mallory and by alice (a member of both) on the same days.
  await at(orgB.id, mallory, "invite.sent", "2026-03-01T11:00:00Z", { target: "b-only@example.test", details: { role: "VIEWER" } });
  await at(orgB.id, alice, "member.role_changed", "2026-03-02T12:00:00Z", { target: "b-member@example.test" });
  // Sign-ins have no organisation: org A shows those of its members (alice, bob), never mallory's.
  await at(null, bob, "auth.sign_in", "2026-03-02T08:00:00Z");
  await at(null, mallory, "auth.sign_in", "2026-03-02T09:00:00Z");
  return { alice, bob, mallory, orgA, orgB };
}

beforeAll(async () => {
  app = await openAppTestDatabase();
  db = app.db;
  fx = await seed();
});

afterAll(async () => {
  await app.close();
});

const actions = (entries: { action: string }[]) => entries.map((e) => e.action);
const list = (orgId: string, q: Record<string, string> = {}) => listAuditLog({ db, orgId, filter: parseAuditFilter(q) });

describe("audit log filter", () => {
  it("without a filter: the org's own entries and its members' sign-ins, newest first, nothing of org B", async () => {
    const { entries } = await list(fx.orgA.id);
    expect(actions(entries)).toEqual(["api_key.created", "member.role_changed", "auth.sign_in", "invite.sent", "org.created"]);
    expect(entries.map((e) => e.target)).not.toContain("b-only@example.test");
    expect(entries.map((e) => e.actorId)).not.toContain(fx.mallory.id);
  });

  it("by actor: only that user's entries, in this org only (alice acts in both orgs)", async () => {
    const { entries } = await list(fx.orgA.id, { actor: fx.alice.id });
    expect(actions(entries)).toEqual(["api_key.created", "invite.sent", "org.created"]);
    expect(new Set(entries.map((e) => e.actorId))).toEqual(new Set([fx.alice.id]));
    // Org B's actor named in org A's URL: nothing, not org B's rows.
    expect((await list(fx.orgA.id, { actor: fx.mallory.id })).entries).toEqual([]);
  });

  it("by action: only that action, in this org only", async () => {
    const { entries } = await list(fx.orgA.id, { action: "member.role_changed" });
    expect(entries.map((e) => [e.action, e.target])).toEqual([["member.role_changed", "x@example.test"]]);
    const b = await list(fx.orgB.id, { action: "member.role_changed" });
    expect(b.entries.map((e) => e.target)).toEqual(["b-member@example.test"]);
  });

  it("by date range: whole UTC days, both ends inclusive", async () => {
    expect(actions((await list(fx.orgA.id, { from: "2026-03-02", to: "2026-03-02" })).entries)).toEqual(["member.role_changed", "auth.sign_in"]);
    expect(actions((await list(fx.orgA.id, { from: "2026-03-02" })).entries)).toEqual(["api_key.created", "member.role_changed", "auth.sign_in"]);
    expect(actions((await list(fx.orgA.id, { to: "2026-03-01" })).entries)).toEqual(["invite.sent", "org.created"]);
    expect((await list(fx.orgA.id, { from: "2026-03-04" })).entries).toEqual([]);
  });

  it("combined filters narrow together; values that do not parse are dropped", async () => {
    expect(actions((await list(fx.orgA.id, { actor: fx.alice.id, action: "invite.sent", from: "2026-03-01", to: "2026-03-01" })).entries)).toEqual(["invite.sent"]);
    expect(parseAuditFilter({ actor: "not-a-uuid", action: "DROP TABLE", from: "2026-02-30", to: "yesterday" })).toEqual({});
    expect((await list(fx.orgA.id, { actor: "nope", from: "2026-13-01" })).entries).toHaveLength(5);
  });

  it("lists each actor of the org once, never org B's", async () => {
    const actors = await listAuditActors({ db, orgId: fx.orgA.id });
    expect(actors.map((a) => a.id).sort()).toEqual([fx.alice.id, fx.bob.id].sort());
    expect(actors.find((a) => a.id === fx.alice.id)?.label).toBe(fx.alice.email);
  });
});

describe("audit log pages and export", () => {
  it("pages by (time, id): entries with the same time are neither skipped nor repeated", async () => {
    const org = await makeOrg(db, fx.bob);
    const same = new Date("2026-04-01T12:00:00Z");
    await db.auditLog.createMany({ data: Array.from({ length: AUDIT_PAGE_SIZE + 7 }, (_, i) => ({ orgId: org.id, actorId: fx.bob.id, actorLabel: fx.bob.email, action: "org.renamed", target: `name ${i}`, createdAt: same })) });
    const first = await listAuditLog({ db, orgId: org.id, filter: { action: "org.renamed" } });
    expect(first.entries).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.hasMore).toBe(true);
    const second = await listAuditLog({ db, orgId: org.id, filter: { action: "org.renamed" }, before: decodeAuditCursor(first.next) });
    expect(second.hasMore).toBe(false);
    const ids = [...first.entries, ...second.entries].map((e) => e.id);
    expect(new Set(ids).size).toBe(AUDIT_PAGE_SIZE + 7);
    // The export walks the same filter in batches and ends with the same rows.
    const exported: string[] = [];
    for await (const batch of eachAuditLogBatch({ db, orgId: org.id, filter: { action: "org.renamed" }, batchSize: 10 })) exported.push(...batch.map((e) => e.id));
    expect(exported).toEqual(ids);
  });

  it("CSV rows: quoted where needed, formulas defused, allowed details only (never an API key's prefix)", async () => {
    const rows: string[] = [];
    for await (const batch of eachAuditLogBatch({ db, orgId: fx.orgA.id, filter: parseAuditFilter({ from: "2026-03-01", to: "2026-03-03" }) })) rows.push(...batch.map(auditCsvLine));
    expect(AUDIT_CSV_HEADER[0]).toBe("When (UTC)");
    expect(rows).toHaveLength(4);
    expect(rows[0]).toBe(`2026-03-03T00:00:00.000Z,${fx.alice.email},api_key.created,Created API key,"CI, ""main""",as editor,role=EDITOR\r\n`);
    expect(rows.join("")).not.toContain("dpl_secretpfx");
    expect(rows[1]).toContain("member.role_changed,Changed role of,x@example.test,viewer → admin,from=VIEWER; to=ADMIN\r\n");
    expect(rows[3]).toContain(`,invite.sent,Invited,"'=HYPERLINK(""http://evil.test"")",as editor,role=EDITOR\r\n`);
  });
});
