import { describe, expect, it } from "vitest";
import { ZWorkflowConfig, ZWorkflowDefinition, formatIssues } from "./workflow";
import { validateAgainstCatalog } from "../pipeline/validate-definition";
import { columnMeta } from "../redaction/column-meta";

const conn = { host: "db", database: "app", user: "u" };
const base = {
  version: 1 as const,
  source: conn,
  tables: [{ schema: "public", table: "customers", rules: { email: { rule: "fake", kind: "email" } } }],
  outputs: { target: { connection: conn } },
  hashSalt: "0123456789abcdef",
};

describe("ZWorkflowDefinition", () => {
  it("fills defaults", () => {
    const d = ZWorkflowDefinition.parse(base);
    expect(d.tables[0].filter).toEqual({ kind: "all" });
    expect(d.options.privacySampleSize).toBe(1000);
    expect(d.outputs.target!.keepOwnership).toBe(false);
  });

  it("names the path of every problem", () => {
    const r = ZWorkflowDefinition.safeParse({ ...base, outputs: {}, tables: [base.tables[0], base.tables[0]], hashSalt: "short" });
    expect(r.success).toBe(false);
    const lines = formatIssues(r.error!);
    expect(lines).toContain("outputs: Choose at least one output: a target database or an S3 bucket.");
    expect(lines).toContain("tables.1: Table public.customers is listed twice.");
    expect(lines.some((l) => l.startsWith("hashSalt:"))).toBe(true);
  });

  it("shares the table/rule parts with the stored config", () => {
    const cfg = ZWorkflowConfig.parse({
      sourceConnectionId: "7d3c9a4e-8f0b-4c1d-9e2a-3b4c5d6e7f80",
      tables: base.tables,
      outputs: { s3: { connectionId: "7d3c9a4e-8f0b-4c1d-9e2a-3b4c5d6e7f81", prefix: "twins" } },
    });
    expect(cfg.tables[0].rules.email).toEqual({ rule: "fake", kind: "email" });
    expect(ZWorkflowConfig.safeParse({ ...cfg, tables: [{ schema: "public", table: "t", rules: { a: { rule: "fake", kind: "nope" } } }] }).success).toBe(false);
  });
});

describe("validateAgainstCatalog", () => {
  const catalog = { tables: [{ schema: "public", name: "customers", columns: [columnMeta("id", "int4", { notNull: true }), columnMeta("email", "text"), columnMeta("created_at", "timestamptz")] }] };

  it("reports unknown tables and columns, misfit rules and non-timestamp windows, with paths", () => {
    const problems = validateAgainstCatalog({
      tables: [
        { schema: "public", table: "customers", filter: { kind: "window", columns: ["id", "created_at"], days: 3 }, rules: { id: { rule: "fake", kind: "email" }, nope: { rule: "null" } } },
        { schema: "public", table: "missing", filter: { kind: "all" }, rules: {} },
      ],
      customizations: [{ name: "c", statement: "UPDATE x SET a = %(undeclared)s", params: [] }],
    }, catalog);
    const byPath = Object.fromEntries(problems.map((p) => [p.path.join("."), p.message]));
    expect(byPath["tables.0.rules.id"]).toMatch(/customers\.id/);
    expect(byPath["tables.0.rules.nope"]).toMatch(/is not in the source database \(dropped or renamed\)/);
    expect(byPath["tables.0.filter.columns.0"]).toMatch(/not a date or timestamp/);
    expect(byPath["tables.1"]).toMatch(/public\.missing does not exist/);
    expect(byPath["customizations.0.statement"]).toMatch(/undeclared/);
    expect(problems).toHaveLength(5);
  });
});
