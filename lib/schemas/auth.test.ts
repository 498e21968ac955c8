import { describe, expect, it } from "vitest";
import { passwordProblem, ZSignUp } from "./auth";

describe("password policy", () => {
  it("accepts a long, uncommon password", () => {
    expect(passwordProblem("Correct-horse-battery", "ada@example.test")).toBeNull();
  });
  it.each([
    ["short1!", "Use at least 10 characters."],
    ["password123", "That password is too common. Choose something less guessable."],
    ["QWERTYUIOP", "That password is too common. Choose something less guessable."],
    ["aaaaaaaaaaaa", "Don't repeat a single character."],
  ])("refuses %s", (pw, message) => {
    expect(passwordProblem(pw)).toBe(message);
  });
  it("refuses the email address or its local part", () => {
    expect(passwordProblem("ada.lovelace@example.test", "ada.lovelace@example.test")).toMatch(/email/);
    expect(passwordProblem("xx-ada.lovelace-2026", "Ada.Lovelace@example.test")).toMatch(/email/);
  });
});

describe("ZSignUp", () => {
  it("normalises the email and reports each problem on its field", () => {
    const ok = ZSignUp.safeParse({ name: " Ada ", email: " ADA@Example.TEST ", password: "Correct-horse-battery", confirmPassword: "Correct-horse-battery" });
    expect(ok.success && ok.data).toMatchObject({ name: "Ada", email: "ada@example.test" });
    const bad = ZSignUp.safeParse({ name: "", email: "nope", password: "short", confirmPassword: "other" });
    expect(bad.success).toBe(false);
    const fields = new Set(bad.error!.issues.map((i) => i.path[0]));
    expect(fields).toEqual(new Set(["name", "email", "password", "confirmPassword"]));
  });
});
