import { describe, expect, it } from "vitest";
import type { TWorkflowTable } from "../schemas/workflow";
import type { TPiiColumnResult, TPiiScanResult } from "./types";
import { addableSuggestions, findScanColumn, scanCoverage, uncoveredColumns, withRule } from "./workflow-coverage";

const col = (column: string, category: TPiiColumnResult["category"], confidence: number): TPiiColumnResult => ({
  column, dataType: "text", category, confidence, matches: 10, sampled: 10, reasons: [], examples: [], suggestedRule: { rule: "null" }, alternatives: [],
});
const result: TPiiScanResult = {
  scannedAt: "2026-11-21T00:00:00.000Z", sampleSize: 200, skipped: [],
  totals: { tables: 2, columnsScanned: 5, columnsFlagged: 4, durationMs: 1 },
  tables: [
    { schema: "public", table: "customers", rowsEstimate: 10, clean: ["status"], columns: [col("email", "email", 0.99), col("phone", "phone", 0.95), col("notes", "free_text_pii", 0.3)] },
    { schema: "public", table: "leads", rowsEstimate: 5, clean: [], columns: [col("email", "email", 0.9)] },
  ],
};
const tables: TWorkflowTable[] = [{ schema: "public", table: "customers", filter: { kind: "all" }, rules: { email: { rule: "fake", kind: "email" } } }];

describe("workflow coverage", () => {
  it("marks the columns a workflow already redacts", () => {
    const cov = scanCoverage(result, tables);
    expect(cov.map((c) => [c.table, c.column, c.tableSelected, c.rule?.rule ?? null])).toEqual([
      ["customers", "email", true, "fake"], ["customers", "phone", true, null], ["leads", "email", false, null], ["customers", "notes", true, null],
    ]);
    expect(uncoveredColumns(result, tables).map((c) => c.column)).toEqual(["phone"]);
    expect(uncoveredColumns(result, tables, 0.2).map((c) => c.column)).toEqual(["phone", "notes"]);
  });

  it("add all: the uncovered findings of copied tables that are not weak and have a rule that fits", () => {
    const noFit: TPiiScanResult = { ...result, tables: [{ ...result.tables[0]!, columns: [...result.tables[0]!.columns, { ...col("passport", "unique_id", 0.8), suggestedRule: null }] }, result.tables[1]!] };
    expect(addableSuggestions(noFit, tables).map((c) => c.column)).toEqual(["phone"]);
    // A column kept as is is a decision, not a gap.
    expect(addableSuggestions(result, [{ ...tables[0]!, rules: { ...tables[0]!.rules, phone: { rule: "keep" } } }])).toEqual([]);
  });

  it("adds a rule to a selected table, or selects the table", () => {
    const mask = { rule: "mask", format: "phone", keepLast: 4, maskChar: "*" } as const;
    const next = withRule(tables, { schema: "public", table: "customers", column: "phone" }, mask);
    expect(next[0].rules).toEqual({ email: { rule: "fake", kind: "email" }, phone: mask });
    expect(tables[0].rules).not.toHaveProperty("phone");
    const added = withRule(tables, { schema: "public", table: "leads", column: "email" }, { rule: "fake", kind: "email" });
    expect(added).toHaveLength(2);
    expect(added[1]).toEqual({ schema: "public", table: "leads", filter: { kind: "all" }, rules: { email: { rule: "fake", kind: "email" } } });
  });

  it("finds a column's scan result (schema drift)", () => {
    expect(findScanColumn(result, { schema: "public", table: "leads", column: "email" })?.category).toBe("email");
    expect(findScanColumn(result, { schema: "public", table: "leads", column: "nope" })).toBeNull();
  });
});
