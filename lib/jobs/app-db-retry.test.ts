import { describe, expect, it } from "vitest";
import { dbBackoffMs, retryingReads, retryTransient } from "./app-db-retry";
import type { Queryable } from "./db";
import type { Logger } from "./logger";

const pgError = (code: string) => Object.assign(new Error("terminating connection due to administrator command"), { code });

function recorder() {
  const lines: { level: string; msg: string; fields?: Record<string, unknown> }[] = [];
  const log: Logger = (level, msg, fields) => void lines.push({ level, msg, fields });
  return { lines, log };
}

describe("dbBackoffMs", () => {
  it("doubles from 100 ms up to the cap, keeping between half and all of each step", () => {
    expect([1, 2, 3, 4].map((n) => dbBackoffMs(n, 5_000, () => 1))).toEqual([100, 200, 400, 800]);
    expect([1, 2, 3, 4].map((n) => dbBackoffMs(n, 5_000, () => 0))).toEqual([50, 100, 200, 400]);
    expect(dbBackoffMs(30, 5_000, () => 1)).toBe(5_000);
    expect(dbBackoffMs(30, 5_000, () => 0)).toBe(2_500);
  });
});

describe("retryTransient", () => {
  it("retries transient app-database errors (57P01, connection terminated, ECONNREFUSED) until the call succeeds", async () => {
    const { lines, log } = recorder();
    const errors = [pgError("57P01"), new Error("Connection terminated unexpectedly"), Object.assign(new Error("connect"), { code: "ECONNREFUSED" })];
    let calls = 0;
    const result = await retryTransient({ what: "heartbeat", log, capMs: 100 }, async () => {
      calls++;
      const err = errors.shift();
      if (err) throw err;
      return "landed";
    });
    expect(result).toBe("landed");
    expect(calls).toBe(4);
    expect(lines.map((l) => [l.level, l.msg, l.fields?.failures])).toEqual([
      ["warn", "app database: heartbeat failed; retrying", 1],
      ["warn", "app database: heartbeat failed; retrying", 2],
      ["warn", "app database: heartbeat failed; retrying", 3],
    ]);
  });

  it("throws any other error at once", async () => {
    const { lines, log } = recorder();
    let calls = 0;
    const syntax = pgError("42601");
    await expect(retryTransient({ what: "final write", log }, async () => {
      calls++;
      throw syntax;
    })).rejects.toBe(syntax);
    expect(calls).toBe(1);
    expect(lines).toEqual([]);
  });

  it("gives up with the last error when it has been failing for longer than the deadline", async () => {
    const { log } = recorder();
    let calls = 0;
    const gone = pgError("57P03");
    await expect(retryTransient({ what: "claim check", log, deadlineMs: 0 }, async () => {
      calls++;
      throw gone;
    })).rejects.toBe(gone);
    expect(calls).toBe(1);
  });

  it("stops retrying once its signal is aborted (a shutdown that can wait no longer)", async () => {
    const { log } = recorder();
    const giveUp = new AbortController();
    let calls = 0;
    const gone = pgError("57P01");
    await expect(retryTransient({ what: "final write", log, signal: giveUp.signal }, async () => {
      if (++calls === 2) giveUp.abort();
      throw gone;
    })).rejects.toBe(gone);
    expect(calls).toBe(2);
  });
});

describe("retryingReads (what a job handler's app-database queries go through)", () => {
  function flaky(failuresPerStatement: number) {
    const sent: string[] = [];
    const left = new Map<string, number>();
    const db: Queryable = {
      query: async <R,>(text: string) => {
        sent.push(text);
        const n = left.get(text) ?? failuresPerStatement;
        left.set(text, n - 1);
        if (n > 0) throw pgError("57P01");
        return { rows: [] as R[], rowCount: 0 };
      },
    };
    return { db, sent };
  }

  it("retries a read that hit a killed connection, and sends a write once (it may have committed)", async () => {
    const { log } = recorder();
    const { db, sent } = flaky(1);
    const handlerDb = retryingReads(db, { what: "job read", log, capMs: 10 });
    await expect(handlerDb.query("SELECT 1 FROM connections WHERE id = $1", ["x"])).resolves.toMatchObject({ rowCount: 0 });
    await expect(handlerDb.query("  with w AS (SELECT 1) SELECT * FROM w")).resolves.toMatchObject({ rowCount: 0 });
    await expect(handlerDb.query("UPDATE connections SET introspection = $1")).rejects.toMatchObject({ code: "57P01" });
    await expect(handlerDb.query("INSERT INTO noop_runs SELECT 1")).rejects.toMatchObject({ code: "57P01" });
    await expect(handlerDb.query("SELECT 1 FROM jobs FOR UPDATE")).rejects.toMatchObject({ code: "57P01" });
    expect(sent.filter((t) => t.startsWith("SELECT 1 FROM connections"))).toHaveLength(2);
    expect(sent.filter((t) => t.startsWith("UPDATE") || t.startsWith("INSERT"))).toHaveLength(2);
  });

  it("gives up on a read when the call's deadline passes", async () => {
    const { log } = recorder();
    const { db } = flaky(1_000);
    await expect(retryingReads(db, { what: "job read", log, capMs: 5, deadlineMs: 30 }).query("SELECT 1")).rejects.toMatchObject({ code: "57P01" });
  });
});
