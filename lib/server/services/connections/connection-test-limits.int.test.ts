import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { allowEgressTo } from "../../../../test/egress";
import { freePort } from "../../../../test/pg-server";
import { runTestConnectionJob } from "../../../jobs/handlers/test-connection";
import type { ClaimedJob } from "../../../jobs/queue";
import { LIMITS } from "../../rate-limit";
import { type AppTestDatabase, makeOrg, makeUser, openAppTestDatabase } from "../../testing/fixtures";
import { saveConnection } from "./save-connection";
import { startConnectionJob } from "./start-connection-job";

// "Test connection" is not a password oracle: failed tests are limited per connection and per
// organisation (LIMITS in rate-limit.ts); successful ones never count.

let app: AppTestDatabase;
let closedPort: number;
beforeAll(async () => {
  app = await openAppTestDatabase({ poolMax: 2 });
  closedPort = await freePort();
  allowEgressTo(`127.0.0.1:${closedPort}`);
});
afterAll(() => app?.close());

async function setup() {
  const user = await makeUser(app.db);
  const org = await makeOrg(app.db, user);
  const actor = { userId: user.id, label: user.email, role: "OWNER" as const };
  const server = new URL(inject("adminUrl"));
  const connect = (name: string, good: boolean) =>
    saveConnection({
      db: app.db, orgId: org.id, actor, name, kind: "POSTGRES",
      settings: { host: "127.0.0.1", port: String(good ? server.port || 5432 : closedPort), database: "postgres", user: decodeURIComponent(server.username), tlsMode: "disable" },
      secret: decodeURIComponent(server.password) || "unused",
    }).then((c) => c.id);
  /** Starts a test as the UI does, then runs it as the worker would; resolves with the job's end state. */
  const test = async (connectionId: string) => {
    const { jobId } = await startConnectionJob({ db: app.db, pool: app.pool, orgId: org.id, userId: user.id, connectionId, kind: "TEST_CONNECTION" });
    const job = await app.db.job.update({ where: { id: jobId }, data: { status: "RUNNING", claimToken: crypto.randomUUID(), attempts: 1 } });
    const ctx = { job: job as unknown as ClaimedJob, signal: new AbortController().signal, pool: app.pool, workerId: "test", onProgress: () => {}, log: () => {}, assertClaim: async () => {} };
    const ok = await runTestConnectionJob(ctx).then(() => true, () => false);
    await app.db.job.update({ where: { id: jobId }, data: { status: ok ? "SUCCEEDED" : "FAILED", finishedAt: new Date() } });
    return ok ? "SUCCEEDED" : "FAILED";
  };
  return { orgId: org.id, connect, test };
}

describe("connection test limits", () => {
  it("refuses a connection's test after 5 failures in 10 minutes, and an organisation's after 20", async () => {
    expect(LIMITS.connectionTestFailuresPerConnection).toEqual({ max: 5, windowSeconds: 600 });
    expect(LIMITS.connectionTestFailuresPerOrg).toEqual({ max: 20, windowSeconds: 600 });
    const { connect, test } = await setup();
    const bad = await connect("closed port", false);
    for (let i = 0; i < 5; i++) expect(await test(bad)).toBe("FAILED");
    await expect(test(bad)).rejects.toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/^Too many attempts\. Try again in \d+ s\.$/) });

    // Another connection of the organisation still has its own five; the organisation's twenty are shared.
    const good = await connect("test server", true);
    for (let i = 0; i < 8; i++) expect(await test(good)).toBe("SUCCEEDED"); // successes never count
    for (const name of ["b", "c", "d"]) {
      const other = await connect(name, false);
      for (let i = 0; i < 5; i++) expect(await test(other)).toBe("FAILED");
    }
    await expect(test(await connect("fresh", false))).rejects.toMatchObject({ code: "RATE_LIMITED" });
    await expect(test(good)).rejects.toMatchObject({ code: "RATE_LIMITED" });

    // Another organisation is not affected.
    const stranger = await setup();
    expect(await stranger.test(await stranger.connect("theirs", false))).toBe("FAILED");
  });
});
