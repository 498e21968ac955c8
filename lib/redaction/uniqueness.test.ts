// Rules allowed on unique columns keep 1,000,000 distinct inputs distinct.
import { describe, expect, it } from "vitest";
import { ZRule } from "@/lib/schemas/rules";
import { compileRule } from "./catalogue";
import { columnMeta } from "./column-meta";

const salt = Buffer.from("uniqueness-test-salt");
const N = 1_000_000;

function distinctOutputs(f: (v: string) => string | null, input: (i: number) => string, n = N): number {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) seen.add(f(input(i)) as string);
  return seen.size;
}

describe("unique columns stay unique on 1M distinct inputs", () => {
  it("fake email (tagged) in varchar(64)", () => {
    const f = compileRule(ZRule.parse({ rule: "fake", kind: "email" }), columnMeta("email", "varchar(64)", { unique: true, notNull: true }), { salt });
    expect(distinctOutputs(f, (i) => `user${i}@corp.example`)).toBe(N);
  }, 60_000);

  it("hash, 16 hex characters", () => {
    const f = compileRule(ZRule.parse({ rule: "hash", length: 16 }), columnMeta("token", "text", { unique: true }), { salt });
    expect(distinctOutputs(f, (i) => `token-${i}`)).toBe(N);
  }, 60_000);

  it("hash on an integer key (a permutation) and on uuid", () => {
    const int = compileRule(ZRule.parse({ rule: "hash" }), columnMeta("id", "int4", { unique: true, notNull: true }), { salt });
    expect(distinctOutputs(int, (i) => String(i + 1))).toBe(N);
    const uuid = compileRule(ZRule.parse({ rule: "hash" }), columnMeta("id", "uuid", { unique: true, notNull: true }), { salt });
    expect(distinctOutputs(uuid, (i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`, 300_000)).toBe(300_000);
  }, 60_000);

  it("fake username, url and ip on smaller samples (same 50-bit tag / 96-bit address design)", () => {
    for (const kind of ["username", "url", "ip"]) {
      const f = compileRule(ZRule.parse({ rule: "fake", kind }), columnMeta("c", "text", { unique: true }), { salt });
      expect(distinctOutputs(f, (i) => `v${i}`, 200_000)).toBe(200_000);
    }
  }, 60_000);
});
