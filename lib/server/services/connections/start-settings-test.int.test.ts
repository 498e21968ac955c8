import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { allowEgressTo, recordingListener, type RecordingListener } from "../../../../test/egress";
import { freePort } from "../../../../test/pg-server";
import { spawnWorker, waitFor, type WorkerProcess } from "../../../../test/worker/test-support";
import { EGRESS_REFUSED_MESSAGE } from "../../../egress/policy";
import { enqueueJob } from "../../../jobs/enqueue-job";
import { encryptSecret } from "../../crypto";
import { type AppTestDatabase, makeOrg, makeUser, openAppTestDatabase } from "../../testing/fixtures";
import { getSettingsTest } from "./connection-status";
import { listConnections } from "./list-connections";
import { saveConnection } from "./save-connection";
import { startConnectionJob } from "./start-connection-job";
import { startSettingsTest } from "./start-settings-test";

// "Test" on the connection form: the unsaved settings go to a real worker as a TEST_CONNECTION
// job without a connection. Nothing is saved by a test, the secret leaves the job row when the
// worker starts, the egress policy refuses internal hosts (at the form and again in the worker,
// without a packet sent), and failed form tests count against the organisation's limit.

let app: AppTestDatabase;
let worker: WorkerProcess;
let closedPort: number;
let listener: RecordingListener;
const server = () => new URL(inject("adminUrl"));

beforeAll(async () => {
  app = await openAppTestDatabase({ poolMax: 3 });
  closedPort = await freePort();
  allowEgressTo(`127.0.0.1:${closedPort}`); // before the worker starts: it inherits the setting
  listener = await recordingListener(); // not allowed: loopback on a port nobody allowed
  worker = spawnWorker(app.tdb.url, "settings-test-worker");
});

afterAll(async () => {
  await worker?.stop("SIGKILL");
  await listener?.close();
  await app?.close();
});

async function setup() {
  const user = await makeUser(app.db);
  const org = await makeOrg(app.db, user);
  const s = server();
  const settings = (over: Record<string, string> = {}) => ({
    host: "127.0.0.1", port: s.port || "5432", database: "postgres", user: decodeURIComponent(s.username || "postgres"), tlsMode: "disable", ...over,
  });
  const password = decodeURIComponent(s.password);
  const start = (over: Record<string, string> = {}, secret = password) =>
    startSettingsTest({ db: app.db, pool: app.pool, orgId: org.id, userId: user.id, kind: "POSTGRES", settings: settings(over), ...(secret ? { secret } : {}) });
  const outcome = (jobId: string) =>
    waitFor(async () => {
      const view = await getSettingsTest({ db: app.db, orgId: org.id, jobId });
      return view.status === "SUCCEEDED" || view.status === "FAILED" ? view : null;
    }, { timeoutMs: 30_000, what: "the form's test to end" });
  return { org, user, settings, password, start, outcome };
}

describe("testing unsaved connection settings", () => {
  it("passes for a reachable server, saves nothing, drops the secret from the job, and a save adopts exactly that test", async () => {
    const { org, user, settings, password, start, outcome } = await setup();
    const { jobId } = await start();
    const queued = await app.db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(queued).toMatchObject({ kind: "TEST_CONNECTION", connectionId: null, maxAttempts: 1 });
    if (password) expect(JSON.stringify(queued.input)).not.toContain(password); // encrypted while queued

    const view = await outcome(jobId);
    expect(view).toMatchObject({ status: "SUCCEEDED", facts: expect.arrayContaining([expect.stringMatching(/^PostgreSQL \d+/)]) });
    expect(await app.db.connection.count({ where: { orgId: org.id } })).toBe(0);
    const ended = await app.db.job.findUniqueOrThrow({ where: { id: jobId } });
    expect(ended.input).not.toHaveProperty("secretEnc");

    // Saving other settings than the tested ones does not make that test the connection's.
    const actor = { userId: user.id, label: user.email, role: "OWNER" as const };
    const other = await saveConnection({ db: app.db, orgId: org.id, actor, name: "Other", kind: "POSTGRES", settings: settings({ database: "template1" }), secret: password || undefined, testJobId: jobId });
    const saved = await saveConnection({ db: app.db, orgId: org.id, actor, name: "Demo", kind: "POSTGRES", settings: settings(), secret: password || undefined, testJobId: jobId });
    const list = await listConnections({ db: app.db, orgId: org.id });
    expect(list.find((c) => c.id === other.id)?.lastTest).toBeNull();
    expect(list.find((c) => c.id === saved.id)?.lastTest).toMatchObject({ status: "SUCCEEDED" });
  });

  it("a wrong password fails with a message that names the PostgreSQL server, not a role", async () => {
    const { org, start, outcome } = await setup();
    // A server that checks passwords gets a wrong one; a trust-auth server an unknown user (the same answer).
    const { jobId } = server().password ? await start({}, "wrong-password") : await start({ user: "no_such_user" });
    const view = await outcome(jobId);
    expect(view).toMatchObject({ status: "FAILED", error: { message: "The PostgreSQL server refused the user name or password (connecting).", hint: "Check the user name and password of the connection." } });
    expect(await app.db.connection.count({ where: { orgId: org.id } })).toBe(0);
  });

  it("refuses an internal host at the form, and in the worker without sending a packet", async () => {
    const { org, user, start, outcome } = await setup();
    for (const host of ["10.0.0.5", "localhost", `127.0.0.1`]) {
      await expect(start({ host, port: String(listener.port) })).rejects.toMatchObject({ code: "VALIDATION", fieldErrors: { host: [EGRESS_REFUSED_MESSAGE] } });
    }
    expect(await app.db.job.count({ where: { orgId: org.id } })).toBe(0);

    // Settings that got into a job anyway (the allow-list changed meanwhile) are judged again by the worker.
    const { job } = await enqueueJob(app.pool, {
      orgId: org.id, kind: "TEST_CONNECTION", triggeredByUserId: user.id, maxAttempts: 1,
      input: { unsaved: { kind: "POSTGRES", config: { host: "127.0.0.1", port: listener.port, database: "postgres", user: "postgres", tlsMode: "disable" } }, secretEnc: encryptSecret("pw") },
    });
    const view = await outcome(job!.id);
    expect(view).toMatchObject({ status: "FAILED", error: { message: expect.stringContaining(EGRESS_REFUSED_MESSAGE) } });
    expect(listener.connections()).toBe(0);
  });

  it("failed form tests count against the organisation's limit, shared with the saved connections' tests", async () => {
    const { org, user, start, outcome } = await setup();
    // Queued and running tests count too: twenty started at once are the organisation's twenty.
    const jobs = [];
    for (let i = 0; i < 20; i++) jobs.push((await start({ port: String(closedPort) })).jobId);
    await expect(start()).rejects.toMatchObject({ code: "RATE_LIMITED" });
    for (const id of jobs) expect(await outcome(id)).toMatchObject({ status: "FAILED", error: { message: "The PostgreSQL server cannot be reached (connecting)." } });
    await expect(start()).rejects.toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/^Too many attempts\. Try again in \d+ s\.$/) });
    const actor = { userId: user.id, label: user.email, role: "OWNER" as const };
    const saved = await saveConnection({ db: app.db, orgId: org.id, actor, name: "Saved", kind: "POSTGRES", settings: { host: "db.example.com", database: "d", user: "u" }, secret: "pw" });
    await expect(startConnectionJob({ db: app.db, pool: app.pool, orgId: org.id, userId: user.id, connectionId: saved.id, kind: "TEST_CONNECTION" })).rejects.toMatchObject({ code: "RATE_LIMITED" });

    // Another organisation is not affected.
    const other = await setup();
    expect(await other.outcome((await other.start()).jobId)).toMatchObject({ status: "SUCCEEDED" });
  });
});
