import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { createPrisma, type Db } from "./db";
import { enforceRateLimits, hitRateLimit } from "./rate-limit";
import { uid } from "./testing/fixtures";

// Two Prisma clients with their own pools stand in for two web processes.

let tdb: TestDatabase;
let a: Db;
let b: Db;
beforeAll(async () => {
  tdb = await createTestDatabase();
  a = createPrisma(tdb.url, { max: 5 });
  b = createPrisma(tdb.url, { max: 5 });
});
afterAll(async () => {
  await Promise.all([a.$disconnect(), b.$disconnect()]);
  await tdb.drop();
});

describe("rate limiter", () => {
  it("counts every attempt exactly once across processes and refuses those over the limit", async () => {
    const key = `test:${uid()}`;
    const limit = { max: 20, windowSeconds: 60 };
    const hits = await Promise.all(Array.from({ length: 30 }, (_, i) => hitRateLimit(key, limit, i % 2 ? a : b)));
    expect(hits.map((h) => h.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(hits.filter((h) => h.allowed)).toHaveLength(20);
    const refused = hits.filter((h) => !h.allowed);
    expect(refused.every((h) => h.retryAfterSeconds >= 1 && h.retryAfterSeconds <= 60)).toBe(true);
  });

  it("starts a new window once the old one has passed", async () => {
    const key = `test:${uid()}`;
    const limit = { max: 2, windowSeconds: 60 };
    for (let i = 0; i < 3; i++) await hitRateLimit(key, limit, a);
    expect((await hitRateLimit(key, limit, b)).allowed).toBe(false);
    await a.$executeRaw`UPDATE rate_limits SET window_start = now() - interval '61 seconds' WHERE key = ${key}`;
    expect(await hitRateLimit(key, limit, b)).toMatchObject({ allowed: true, count: 1 });
  });

  it("enforceRateLimits throws the plain-words message with the longest wait", async () => {
    const email = `test:${uid()}`;
    const ip = `test:${uid()}`;
    const checks = [
      { key: email, limit: { max: 1, windowSeconds: 30 } },
      { key: ip, limit: { max: 1, windowSeconds: 90 } },
    ];
    await enforceRateLimits(checks, a);
    await expect(enforceRateLimits(checks, b)).rejects.toMatchObject({ code: "RATE_LIMITED", message: expect.stringMatching(/^Too many attempts\. Try again in (8\d|90) s\.$/) });
  });
});
