import { afterEach, describe, expect, it, vi } from "vitest";
import { Prisma } from "../../generated/prisma/client";
import { AppError, toActionError } from "./errors";

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
