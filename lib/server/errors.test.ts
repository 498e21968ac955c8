import { afterEach, describe, expect, it, vi } from "vitest";
import { Prisma } from "../../generated/prisma/client";
import { AppError, errorResponse, toActionError } from "./errors";

// Unexpected errors are logged with a reference id and their class/code only: Prisma's messages
// quote the call's arguments (row values, emails), so neither message nor stack reaches the log.

afterEach(() => vi.restoreAllMocks());

function logged(err: unknown): string {
  const spy = vi.spyOn(console, "error").mockImplementation(() => {});
  const result = toActionError(err);
  expect(result.code).toBe("INTERNAL");
  expect(spy).toHaveBeenCalledTimes(1);
  const line = spy.mock.calls[0]!.map(String).join(" ");
  spy.mockRestore();
  const ref = /reference (\w{8})/.exec(result.message)?.[1];
  expect(ref).toBeDefined();
  expect(line).toContain(`[error ${ref}]`);
  return line;
}

describe("toActionError logging", () => {
  it("logs a Prisma validation error's class, never its message (which quotes the arguments)", () => {
    const err = new Prisma.PrismaClientValidationError("Invalid `prisma.user.create()` invocation: { email: \"wren.parker@example.test\" }", { clientVersion: "7" });
    const line = logged(err);
    expect(line).toContain("PrismaClientValidationError");
    expect(line).not.toContain("wren.parker");
    expect(line).not.toContain("invocation");
  });

  it("logs a Prisma request error's code, never its message or meta", () => {
    const err = new Prisma.PrismaClientKnownRequestError("Foreign key failed on value 'sage.quinn@example.test'", { code: "P2003", clientVersion: "7", meta: { value: "sage.quinn@example.test" } });
    const line = logged(err);
    expect(line).toContain("PrismaClientKnownRequestError code=P2003");
    expect(line).not.toContain("sage.quinn");
  });

  it("logs other errors with class, code and the first stack frame, not the message", () => {
    const err = Object.assign(new TypeError("cannot read 'hunter2-secret'"), { code: "ERR_X" });
    const line = logged(err);
    expect(line).toMatch(/TypeError code=ERR_X at /);
    expect(line).toContain("errors.test.ts");
    expect(line).not.toContain("hunter2");
    expect(logged("a thrown string with a value 555-0101")).not.toContain("555-0101");
  });

  it("passes AppErrors through without logging", () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(toActionError(new AppError("CONFLICT", "Taken."))).toEqual({ code: "CONFLICT", message: "Taken.", fieldErrors: undefined });
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("the one code -> status map", () => {
  const prismaError = (code: string) => new Prisma.PrismaClientKnownRequestError("Record for id 'x' failed", { code, clientVersion: "7" });
  const quietly = <T>(fn: () => T): T => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    return fn();
  };

  it("only Prisma's record-not-found (P2025) becomes NOT_FOUND (404)", async () => {
    expect(toActionError(prismaError("P2025")).code).toBe("NOT_FOUND");
    expect(errorResponse(prismaError("P2025")).status).toBe(404);
    // Other request errors are not a missing object.
    for (const code of ["P2003", "P2010", "P2021", "P2023"]) expect(quietly(() => toActionError(prismaError(code))).code, code).toBe("INTERNAL");
  });

  it("an unreachable or dropped app database is UNAVAILABLE (503) with a message that says so", async () => {
    for (const err of [prismaError("P1001"), prismaError("P1017"), prismaError("P2024"), Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), Object.assign(new Error("terminating connection"), { code: "57P01" }), Object.assign(new Error("x"), { code: "08006" })]) {
      const mapped = quietly(() => toActionError(err));
      expect(mapped.code).toBe("UNAVAILABLE");
      expect(mapped.message).toMatch(/database is not reachable/);
      expect(quietly(() => errorResponse(err)).status).toBe(503);
    }
  });

  it("answers route handlers with the code's status and { error: { code, message, ...details } }", async () => {
    const res = errorResponse(new AppError("CONFLICT", "Already queued.", undefined, { jobId: "j1" }), { "cache-control": "no-store" });
    expect(res.status).toBe(409);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ error: { code: "CONFLICT", message: "Already queued.", jobId: "j1" } });
    expect(errorResponse(new AppError("VALIDATION", "Bad.")).status).toBe(422);
    expect(errorResponse(new AppError("UNAUTHENTICATED", "Sign in.")).status).toBe(401);
    const unknown = quietly(() => errorResponse(new TypeError("boom 'hunter2'")));
    expect(unknown.status).toBe(500);
    expect(JSON.stringify(await unknown.json())).not.toContain("hunter2");
  });
});
