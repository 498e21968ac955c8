import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main, parseJsonQuietly } from "./doppel.ts";

describe("doppel run --config with a broken workflow.json", () => {
  afterEach(() => vi.restoreAllMocks());

  it("says where the JSON is broken without quoting the file (which holds a password)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "doppel-cli-"));
    try {
      const file = path.join(dir, "workflow.json");
      await writeFile(file, '{"source": {"password": "hunter2-secret" "user": "x"}}');
      const errors: string[] = [];
      vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")));
      expect(await main(["run", "--config", file])).toBe(2);
      const out = errors.join("\n");
      expect(out).toMatch(/is not valid JSON \(at position 41\)/);
      expect(out).not.toContain("hunter2");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("parseJsonQuietly gives the value or only the error position", () => {
    expect(parseJsonQuietly('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonQuietly('{"password": "pw-value"')).toEqual({ ok: false, position: 23 });
  });
});
