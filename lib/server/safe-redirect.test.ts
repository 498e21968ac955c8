import { describe, expect, it } from "vitest";
import { sameOriginPath } from "./safe-redirect";

const ORIGIN = "http://localhost:3000";

describe("sameOriginPath", () => {
  it.each([
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "https://evil.example",
    "http://localhost:3000.evil.example/",
    "http://localhost:3001/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,hi",
    "http://localhost:3000//evil.example",
  ])("refuses %j (falls back to /)", (target) => {
    expect(sameOriginPath(target, ORIGIN)).toBe("/");
  });

  it.each([
    ["/acme/jobs?x=1#top", "/acme/jobs?x=1#top"],
    ["/invite/abc", "/invite/abc"],
    ["/%5Cevil.example", "/%5Cevil.example"],
    ["/%09/evil.example", "/%09/evil.example"],
    ["http://localhost:3000/acme", "/acme"],
    ["acme", "/acme"],
  ])("keeps %j on the site as %j", (target, path) => {
    expect(sameOriginPath(target, ORIGIN)).toBe(path);
  });

  it("uses the fallback for empty input and unparsable origins", () => {
    expect(sameOriginPath(undefined, ORIGIN, "/home")).toBe("/home");
    expect(sameOriginPath("/x", "not a url", "/home")).toBe("/home");
  });
});
