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

describe("delta updates in the definition", () => {
  const deltaBase = { ...base, outputs: { target: { connection: conn, delta: {} } }, tables: [{ schema: "public", table: "customers", delta: { column: "updated_at" } }] };

  it("is opt-in on the target output, with a default overlap", () => {
    expect(ZWorkflowDefinition.parse(base).outputs.target!.delta).toBeUndefined();
    const d = ZWorkflowDefinition.parse(deltaBase);
    expect(d.outputs.target!.delta).toEqual({ overlapSeconds: 60 });
    expect(d.tables[0].delta).toEqual({ column: "updated_at" });
  });

  it("names the table whose change column has no delta target", () => {
    const r = ZWorkflowDefinition.safeParse({ ...deltaBase, outputs: { target: { connection: conn } } });
    expect(r.success).toBe(false);
    expect(formatIssues(r.error!)).toContain("tables.0.delta: Table public.customers has a change column, but the target output does not keep the twin fresh with delta updates; turn that on or remove the change column.");
  });

  it("names a change column that is missing or not a timestamp", () => {
    const catalog = { tables: [{ schema: "public", name: "customers", columns: [columnMeta("id", "int4", { notNull: true }), columnMeta("email", "text"), columnMeta("updated_at", "timestamptz")] }] };
    const ok = validateAgainstCatalog({ tables: ZWorkflowDefinition.parse(deltaBase).tables, customizations: [] }, catalog);
    expect(ok).toEqual([]);
    const tables = ZWorkflowDefinition.parse({ ...deltaBase, tables: [{ schema: "public", table: "customers", delta: { column: "email" } }] }).tables;
    expect(validateAgainstCatalog({ tables, customizations: [] }, catalog).map((p) => p.message)).toEqual(["Column public.customers.email is text, not a timestamp: it cannot be the change column of delta updates."]);
    const gone = ZWorkflowDefinition.parse({ ...deltaBase, tables: [{ schema: "public", table: "customers", delta: { column: "modified_at" } }] }).tables;
    expect(validateAgainstCatalog({ tables: gone, customizations: [] }, catalog)[0]).toMatchObject({ path: ["tables", 0, "delta", "column"], missing: "column" });
  });

  it("takes xmin instead of a change column, never both or neither, and names a soft-delete column that does not fit", () => {
    const withDelta = (delta: object) => ({ ...deltaBase, tables: [{ schema: "public", table: "customers", delta }] });
    expect(ZWorkflowDefinition.parse(withDelta({ xmin: true })).tables[0].delta).toEqual({ xmin: true });
    for (const bad of [{}, { xmin: true, column: "updated_at" }, { softDelete: "deleted" }]) {
      expect(formatIssues(ZWorkflowDefinition.safeParse(withDelta(bad)).error!)).toContain("tables.0.delta: Table public.customers: choose either a change column or xmin change detection for delta updates.");
    }
    const catalog = { tables: [{ schema: "public", name: "customers", columns: [columnMeta("id", "int4", { notNull: true }), columnMeta("email", "text"), columnMeta("deleted", "bool")] }] };
    const check = (delta: object) => validateAgainstCatalog({ tables: ZWorkflowDefinition.parse(withDelta(delta)).tables, customizations: [] }, catalog).map((p) => p.message);
    expect(check({ xmin: true, softDelete: "deleted" })).toEqual([]);
    expect(check({ xmin: true, softDelete: "email" })).toEqual(["Column public.customers.email is text: a soft-delete column must be boolean (true: deleted) or a date/timestamp (set: deleted)."]);
    expect(check({ xmin: true, softDelete: "removed" })[0]).toContain("Column public.customers.removed, the soft-delete column of delta updates, is not in the source database");
  });
});
