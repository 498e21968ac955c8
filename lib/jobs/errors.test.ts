import { describe, expect, it } from "vitest";
import { EngineError } from "../pipeline/errors";
import { classifyError, JobFailure, retryDelayMs } from "./errors";

describe("classifyError", () => {
  it("retries unreachable servers and driver-level transient failures", () => {
    expect(classifyError(new EngineError("SOURCE_UNREACHABLE", "down", "hint")).transient).toBe(true);
    expect(classifyError(new EngineError("TARGET_BUSY", "another run holds the target", "hint")).transient).toBe(true);
    expect(classifyError(Object.assign(new Error("x"), { code: "40001" })).transient).toBe(true);
    expect(classifyError(Object.assign(new Error("x"), { code: "40P01" })).transient).toBe(true);
    expect(classifyError(Object.assign(new Error("x"), { code: "57P01" })).transient).toBe(true);
    expect(classifyError(Object.assign(new Error("x"), { code: "ECONNRESET" })).transient).toBe(true);
    expect(classifyError(new Error("Connection terminated unexpectedly")).transient).toBe(true);
  });

  it("fails at once on permanent errors, keeping the engine's message and hint", () => {
    const c = classifyError(new EngineError("SOURCE_AUTH_FAILED", "The source server refused the user name or password.", "Check the password."));
    expect(c).toEqual({ transient: false, error: { code: "SOURCE_AUTH_FAILED", message: "The source server refused the user name or password.", hint: "Check the password." } });
    expect(classifyError(new EngineError("PRIVACY_CHECK_FAILED", "leak", "")).transient).toBe(false);
    expect(classifyError(new JobFailure("INVALID_DEFINITION", "bad", "fix it")).transient).toBe(false);
  });

  it("never passes an unknown error's message through", () => {
    const c = classifyError(new Error('invalid input syntax for type integer: "secret-value"'));
    expect(c.transient).toBe(false);
    expect(c.error.code).toBe("INTERNAL");
    expect(JSON.stringify(c.error)).not.toContain("secret-value");
  });
});

describe("retryDelayMs", () => {
  it("grows with every attempt whatever the jitter, up to the cap", () => {
    for (const r of [0, 0.5, 0.999]) {
      const delays = [1, 2, 3, 4].map((n) => retryDelayMs(n, 100, 10_000, () => r));
      for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]);
    }
    expect(retryDelayMs(30, 100, 10_000)).toBeLessThanOrEqual(10_000);
  });
});
