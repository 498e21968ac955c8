import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { registeredActions, type RegisteredAction } from "./action-registry";
import { createPrisma, type Db } from "./db";
import { newApiKey } from "./services/api-keys/api-key-token";
import { createInvite } from "./services/invites/create-invite";
import { ensureTestSecretKey, makeOrg, makeUser, membershipOf } from "./testing/fixtures";

// Tenancy, enumerated: user A (owner of org A, so permissions never stop them) calls every
// registered server action with org B's slug, and with org A's slug but org B's ids. Each must
// answer NOT_FOUND — another organisation's object looks missing, never "forbidden" — and leave
// org B unchanged. Route handlers are called through their modules (GET/POST with a Request), as
// A's session or A's API key, so a route that forgot its organisation fails here. Every action
// module under app/ is imported, and the test FAILS when an action or a route handler is missing
// from the tables below: add a case when you add one.

// The session of a request, which outside Next.js does not exist: the signed-in user is who the
// test says (the session's own checks are tested in session-version.int.test.ts).
const session = vi.hoisted(() => ({ user: null as null | { id: string; email: string; name: string; emailVerified: boolean } }));
vi.mock("./session", () => ({ getSessionUser: async () => session.user }));

const actionModules = import.meta.glob("../../app/**/*actions.ts");
const routeModules = import.meta.glob("../../app/**/route.ts");

type Fixture = Awaited<ReturnType<typeof buildFixture>>;
type ActionCase =
  /** Input naming org B's objects: called under org A's slug and under org B's slug. */
  | { input: (fx: Fixture) => unknown }
  /** The action takes no object ids: only called under org B's slug (input must be valid). */
  | { noIds: string; input: (fx: Fixture) => unknown }
  /** Not organisation-scoped (kind "user"/"public"): say why, and test what can be tested. */
  | { notOrgScoped: string; check?: (fx: Fixture, action: RegisteredAction) => Promise<void> };

const ORG_ACTION_CASES: Record<string, ActionCase> = {
  "invite.create": { noIds: "creates an invite in the caller's org", input: () => ({ email: "intruder@example.test", role: "ADMIN" }) },
  "invite.resend": { input: (fx) => ({ inviteId: fx.b.inviteId }) },
  "invite.revoke": { input: (fx) => ({ inviteId: fx.b.inviteId }) },
  "member.changeRole": { input: (fx) => ({ membershipId: fx.b.viewerMembershipId, role: "OWNER" }) },
  "member.remove": { input: (fx) => ({ membershipId: fx.b.viewerMembershipId }) },
  "org.transferOwnership": { input: (fx) => ({ membershipId: fx.b.viewerMembershipId }) },
  "org.rename": { noIds: "renames the caller's org", input: () => ({ name: "Hijacked" }) },
  "org.setUnreviewedColumns": { noIds: "changes the caller's org setting", input: () => ({ policy: "NULL" }) },
  "org.delete": { noIds: "deletes the caller's org (confirmSlug must match it)", input: (fx) => ({ confirmSlug: fx.b.slug }) },
  "connection.create": { noIds: "creates a connection in the caller's org", input: () => ({ name: "Intruder", kind: "POSTGRES", settings: { host: "h", database: "d", user: "u" }, secret: "pw" }) },
  "connection.update": { input: (fx) => ({ connectionId: fx.b.connectionId, name: "Hijacked", kind: "POSTGRES", settings: { host: "evil", database: "d", user: "u" }, secret: "pw" }) },
  "connection.delete": { input: (fx) => ({ connectionId: fx.b.connectionId }) },
  "connection.test": { input: (fx) => ({ connectionId: fx.b.connectionId }) },
  "connection.introspect": { input: (fx) => ({ connectionId: fx.b.connectionId }) },
  "connection.testSettings": { input: (fx) => ({ connectionId: fx.b.connectionId, kind: "POSTGRES", settings: { host: "db.example.com", database: "d", user: "u" } }) },
  "connection.createDemo": { noIds: "creates the demo connections in the caller's org", input: () => ({}) },
  "workflow.save": {
    input: (fx) => ({
      workflowId: fx.b.workflowId, baseVersion: 1, name: "Hijacked", schedule: { enabled: false, cron: "" },
      config: { version: 1, sourceConnectionId: fx.b.connectionId, tables: [{ schema: "public", table: "customers" }], outputs: { target: { connectionId: fx.b.connectionId } } },
    }),
  },
  "workflow.delete": { input: (fx) => ({ workflowId: fx.b.workflowId }) },
  "workflow.sourceCatalog": { input: (fx) => ({ connectionId: fx.b.connectionId }) },
  "workflow.preview": { input: (fx) => ({ connectionId: fx.b.connectionId, schema: "public", table: "customers", column: "email", rule: { rule: "null" } }) },
  "workflow.previewReveal": { input: (fx) => ({ connectionId: fx.b.connectionId, schema: "public", table: "customers", column: "email", rule: { rule: "null" } }) },
  "workflow.suggestRules": { input: (fx) => ({ connectionId: fx.b.connectionId, tables: [{ schema: "public", table: "customers" }] }) },
  "workflow.runNow": { input: (fx) => ({ workflowId: fx.b.workflowId }) },
  "customization.save": { input: (fx) => ({ workflowId: fx.b.workflowId, name: "Intruder", statement: "UPDATE companies SET name = %(n)s", params: [{ name: "n", label: "N", type: "text" }] }) },
  "customization.delete": { input: (fx) => ({ workflowId: fx.b.workflowId, name: "Company" }) },
  "demo.saveValues": { input: (fx) => ({ workflowId: fx.b.workflowId, values: { company_name: "Hijacked" } }) },
  "demo.reset": { input: (fx) => ({ workflowId: fx.b.workflowId, values: { company_name: "Hijacked" } }) },
  "job.cancel": { input: (fx) => ({ jobId: fx.b.jobId }) },
  "job.runAgain": { input: (fx) => ({ jobId: fx.b.jobId }) },
  "scan.start": { input: (fx) => ({ connectionId: fx.b.connectionId }) },
  "scan.addRule": { input: (fx) => ({ jobId: fx.b.scanJobId, workflowId: fx.b.workflowId, schema: "public", table: "customers", column: "email" }) },
  "scan.addAllRules": { input: (fx) => ({ jobId: fx.b.scanJobId, workflowId: fx.b.workflowId }) },
  "apiKey.create": { noIds: "creates a key in the caller's org", input: () => ({ name: "Intruder key", role: "ADMIN" }) },
  "apiKey.revoke": { input: (fx) => ({ keyId: fx.b.apiKeyId }) },
  "auth.signUp": { notOrgScoped: "creates a new user and their own organisation; takes no ids" },
  "org.create": { notOrgScoped: "creates a new organisation owned by the caller; takes no ids" },
  "auth.sendVerification": {
    notOrgScoped: "sends a verification link to the caller's own address; takes no ids",
    check: async (fx, action) => {
      const res = await action.invoke({ db: fx.db, userId: fx.a.userId, input: {} });
      expect(res).toMatchObject({ ok: true });
      expect(await fx.db.emailVerification.findMany({ select: { userId: true } })).toEqual([{ userId: fx.a.userId }]);
    },
  },
  "auth.verifyEmail": { notOrgScoped: "takes a verification token, which names the one account it verifies" },
  "invite.accept": {
    notOrgScoped: "takes an invite token, which is bound to the invited email",
    check: async (fx, action) => {
      const res = await action.invoke({ db: fx.db, userId: fx.a.userId, input: { token: fx.b.inviteToken } });
      expect(res).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    },
  },
};

/** Route handlers, by file. Routes that take ids need a `check` that calls them with org B's ids. */
type RouteCase = { noIds: string } | { check: (fx: Fixture, mod: Record<string, unknown>) => Promise<void> };
const ROUTE_CASES: Record<string, RouteCase> = {
  "app/api/health/route.ts": { noIds: "database liveness only" },
  "app/api/auth/[...nextauth]/route.ts": { noIds: "next-auth sign-in/session endpoints" },
  "app/(app)/[orgSlug]/settings/audit/export/route.ts": {
    noIds: "the CSV of the caller's org's audit log: the org is the URL's slug through requireOrgPermission (as the page); audit-log.int.test.ts checks org B's entries never appear",
  },
  "app/(app)/[orgSlug]/connections/[id]/status/route.ts": {
    check: (fx, mod) => expectSessionNotFound(fx, mod, (slug) => ({ orgSlug: slug, id: fx.b.connectionId }), (fx) => ({ orgSlug: fx.a.slug, id: fx.a.connectionId })),
  },
  "app/(app)/[orgSlug]/connections/tests/[jobId]/route.ts": {
    check: (fx, mod) => expectSessionNotFound(fx, mod, (slug) => ({ orgSlug: slug, jobId: fx.b.settingsTestJobId }), (fx) => ({ orgSlug: fx.a.slug, jobId: fx.a.settingsTestJobId })),
  },
  // No organisation in the URL: the membership is looked up through the job's organisation.
  "app/api/jobs/[id]/route.ts": {
    check: (fx, mod) => expectSessionNotFound(fx, mod, () => ({ id: fx.b.jobId }), (fx) => ({ id: fx.a.jobId })),
  },
  "app/api/v1/runs/[id]/route.ts": { check: (fx, mod) => expectApiNotFound(fx, mod, "GET", fx.b.jobId) },
  "app/api/v1/runs/[id]/cancel/route.ts": { check: (fx, mod) => expectApiNotFound(fx, mod, "POST", fx.b.jobId) },
  "app/api/v1/workflows/[id]/runs/route.ts": { check: (fx, mod) => expectApiNotFound(fx, mod, "POST", fx.b.workflowId) },
};

type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Calls a /api/v1 handler with org A's admin API key and an id of org B: must be a 404 (NOT_FOUND). */
async function expectApiNotFound(fx: Fixture, mod: Record<string, unknown>, method: "GET" | "POST", id: string) {
  const handler = mod[method] as RouteHandler;
  const init = { method, headers: { authorization: `Bearer ${fx.a.apiKey}`, "content-type": "application/json" }, ...(method === "POST" ? { body: "{}" } : {}) };
  const res = await handler(new Request(`http://localhost/api/v1/x/${id}`, init), { params: Promise.resolve({ id }) });
  expect(res.status, `${method} with org B's id ${id}`).toBe(404);
  expect((await res.json()).error.code).toBe("NOT_FOUND");
}

/**
 * Calls a session route's GET as user A with org B's ids, under org B's slug and under A's own:
 * each must be a 404 (NOT_FOUND). The same call with org A's own object answers 200, so the 404s
 * come from tenancy, not from a session the test failed to give.
 */
async function expectSessionNotFound(fx: Fixture, mod: Record<string, unknown>, foreign: (slug: string) => Record<string, string>, own: (fx: Fixture) => Record<string, string>) {
  const get = (params: Record<string, string>) => (mod.GET as RouteHandler)(new Request("http://localhost/poll"), { params: Promise.resolve(params) });
  session.user = { id: fx.a.userId, email: fx.a.email, name: "A", emailVerified: true };
  try {
    for (const params of [foreign(fx.b.slug), foreign(fx.a.slug)]) {
      const res = await get(params);
      expect(res.status, `GET ${JSON.stringify(params)}`).toBe(404);
      expect((await res.json()).error.code).toBe("NOT_FOUND");
    }
    expect((await get(own(fx))).status, "the same route with org A's own object").toBe(200);
  } finally {
    session.user = null;
  }
}

async function buildFixture(db: Db) {
  const userA = await makeUser(db);
  const userB = await makeUser(db);
  const viewerB = await makeUser(db);
  const orgA = await makeOrg(db, userA);
  const orgB = await makeOrg(db, userB, [{ user: viewerB, role: "VIEWER" }]);
  const invite = await createInvite({ db, orgId: orgB.id, actor: { userId: userB.id, label: userB.email, role: "OWNER" }, email: "b-invitee@example.test", role: "VIEWER" });
  // Objects of later features, so that their actions' cases can name them.
  const connection = await db.connection.create({ data: { orgId: orgB.id, name: "B source", kind: "POSTGRES", config: { host: "127.0.0.1" } } });
  const workflow = await db.workflow.create({ data: { orgId: orgB.id, name: "B workflow", customizationValues: { company_name: "B Corp" } } });
  await db.workflowVersion.create({
    data: {
      workflowId: workflow.id, version: 1,
      config: {
        version: 1, sourceConnectionId: connection.id, outputs: { target: { connectionId: connection.id } },
        tables: [{ schema: "public", table: "customers", rules: {} }],
        customizations: [{ name: "Company", statement: "UPDATE companies SET name = %(company_name)s WHERE id = 1", params: [{ name: "company_name", label: "Company name", type: "text" }] }],
      },
    },
  });
  const job = await db.job.create({ data: { orgId: orgB.id, kind: "NOOP", workflowId: workflow.id } });
  const settingsTest = await db.job.create({ data: { orgId: orgB.id, kind: "TEST_CONNECTION", status: "FAILED", input: {} } });
  const scanJob = await db.job.create({
    data: {
      orgId: orgB.id, kind: "PII_SCAN", status: "SUCCEEDED", connectionId: connection.id,
      report: {
        scannedAt: new Date().toISOString(), sampleSize: 10, skipped: [], totals: { tables: 1, columnsScanned: 1, columnsFlagged: 1, durationMs: 1 },
        tables: [{ schema: "public", table: "customers", rowsEstimate: 1, clean: [], columns: [{ column: "email", dataType: "text", category: "email", confidence: 0.9, matches: 10, sampled: 10, reasons: [], examples: [], suggestedRule: { rule: "fake", kind: "email" }, alternatives: [] }] }],
      },
    },
  });
  const keyB = newApiKey();
  const apiKeyB = await db.apiKey.create({ data: { orgId: orgB.id, name: "B key", role: "ADMIN", prefix: keyB.prefix, keyHash: keyB.keyHash } });
  // An admin API key of org A for the /api/v1 route handlers.
  const apiKey = newApiKey();
  await db.apiKey.create({ data: { orgId: orgA.id, name: "A admin key", role: "ADMIN", prefix: apiKey.prefix, keyHash: apiKey.keyHash } });
  // Org A's own objects, which A's calls must reach (the control for each route's 404s).
  const connectionA = await db.connection.create({ data: { orgId: orgA.id, name: "A source", kind: "POSTGRES", config: { host: "127.0.0.1" } } });
  const jobA = await db.job.create({ data: { orgId: orgA.id, kind: "NOOP" } });
  const settingsTestA = await db.job.create({ data: { orgId: orgA.id, kind: "TEST_CONNECTION", status: "FAILED", input: {} } });
  return {
    db,
    a: { userId: userA.id, email: userA.email, slug: orgA.slug, orgId: orgA.id, apiKey: apiKey.key, connectionId: connectionA.id, jobId: jobA.id, settingsTestJobId: settingsTestA.id },
    b: {
      slug: orgB.slug,
      orgId: orgB.id,
      settingsTestJobId: settingsTest.id,
      ownerMembershipId: (await membershipOf(db, orgB.id, userB.id)).id,
      viewerMembershipId: (await membershipOf(db, orgB.id, viewerB.id)).id,
      inviteId: invite.inviteId,
      inviteToken: invite.token,
      connectionId: connection.id,
      workflowId: workflow.id,
      jobId: job.id,
      scanJobId: scanJob.id,
      apiKeyId: apiKeyB.id,
    },
  };
}

/** Everything of org B that an action could touch. */
async function snapshotOrg(db: Db, orgId: string) {
  const [org, memberships, invites, connections, workflows, jobs, apiKeys, auditLogs] = await Promise.all([
    db.organization.findUnique({ where: { id: orgId } }),
    db.membership.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    db.invite.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    db.connection.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    db.workflow.findMany({ where: { orgId }, orderBy: { id: "asc" }, include: { versions: true } }),
    db.job.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    db.apiKey.findMany({ where: { orgId }, orderBy: { id: "asc" } }),
    db.auditLog.count({ where: { orgId } }),
  ]);
  return JSON.stringify({ org, memberships, invites, connections, workflows, jobs, apiKeys, auditLogs });
}

let tdb: TestDatabase;
let db: Db;
let fx: Fixture;

beforeAll(async () => {
  ensureTestSecretKey();
  process.env.NEXTAUTH_URL ??= "http://localhost:3000"; // invite links are built from it
  tdb = await createTestDatabase();
  db = createPrisma(tdb.url, { max: 4 });
  // Route handlers use the process-wide client, which is created lazily from DATABASE_URL.
  process.env.DATABASE_URL = tdb.url;
  for (const load of Object.values(actionModules)) await load();
  fx = await buildFixture(db);
});

afterAll(async () => {
  await db.$disconnect();
  await tdb.drop();
});

describe("tenancy", () => {
  it("every registered server action has a cross-tenant case, and every case names a real action", () => {
    const names = registeredActions().map((a) => a.name);
    expect(names.length).toBeGreaterThan(0);
    const missing = names.filter((n) => !(n in ORG_ACTION_CASES));
    expect(missing, `add these actions to ORG_ACTION_CASES in ${path.relative(process.cwd(), import.meta.filename)}`).toEqual([]);
    expect(Object.keys(ORG_ACTION_CASES).filter((n) => !names.includes(n)), "cases for actions that no longer exist").toEqual([]);
    for (const action of registeredActions()) {
      const c = ORG_ACTION_CASES[action.name]!;
      expect("notOrgScoped" in c, `${action.name} is a ${action.kind} action`).toBe(action.kind !== "org");
    }
  });

  it("every route handler is listed", () => {
    const files = Object.keys(routeModules).map((p) => path.relative(process.cwd(), path.resolve(import.meta.dirname, p)));
    expect(files.filter((f) => !(f in ROUTE_CASES)), "add these route handlers to ROUTE_CASES").toEqual([]);
  });

  it("org actions called with another organisation's slug or ids answer not-found and change nothing there", async () => {
    const before = await snapshotOrg(db, fx.b.orgId);
    const beforeA = await db.organization.findUniqueOrThrow({ where: { id: fx.a.orgId } });
    for (const action of registeredActions().filter((a) => a.kind === "org")) {
      const c = ORG_ACTION_CASES[action.name]!;
      if ("notOrgScoped" in c) continue;
      const input = c.input(fx);
      const underB = await action.invoke({ db, userId: fx.a.userId, orgSlug: fx.b.slug, input });
      expect(underB, `${action.name} under org B's slug`).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
      if (!("noIds" in c)) {
        const underA = await action.invoke({ db, userId: fx.a.userId, orgSlug: fx.a.slug, input });
        expect(underA, `${action.name} under org A's slug with org B's ids`).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
      }
    }
    expect(await snapshotOrg(db, fx.b.orgId)).toBe(before);
    // Org A's own row is also untouched by the B-targeted calls (e.g. org.delete with B's slug).
    expect(await db.organization.findUniqueOrThrow({ where: { id: fx.a.orgId } })).toEqual(beforeA);
  });

  it("non-org actions cannot reach into another organisation", async () => {
    const before = await snapshotOrg(db, fx.b.orgId);
    for (const action of registeredActions()) {
      const c = ORG_ACTION_CASES[action.name]!;
      if ("notOrgScoped" in c && c.check) await c.check(fx, action);
    }
    expect(await snapshotOrg(db, fx.b.orgId)).toBe(before);
  });

  it("route handlers that take ids refuse org B's ids", async () => {
    const before = await snapshotOrg(db, fx.b.orgId);
    for (const [rel, load] of Object.entries(routeModules)) {
      const file = path.relative(process.cwd(), path.resolve(import.meta.dirname, rel));
      const c = ROUTE_CASES[file];
      if (c && "check" in c) await c.check(fx, (await load()) as Record<string, unknown>);
    }
    expect(await snapshotOrg(db, fx.b.orgId)).toBe(before);
  });
});
