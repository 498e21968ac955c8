import { describe, expect, it } from "vitest";
import { changeDetectionOf, changeDetectionValue, deltaPlanOf, suggestChangeColumn, withSuggestedChangeColumns } from "./delta-logic";
import type { EditorColumn, EditorTable, TableSel } from "./editor-types";

const col = (name: string, baseType: string): EditorColumn => ({
  name, typeName: baseType === "timestamptz" ? "timestamp with time zone" : baseType, baseType, notNull: false, unique: false, generated: false, maxLength: null, isTime: false, rules: [], fakeKinds: [],
});
const table = (name: string, columns: EditorColumn[], over: Partial<EditorTable> = {}): EditorTable => ({
  schema: "public", name, rowsEstimate: 1, bytes: 1, inheritance: false, primaryKey: ["id"], foreignKeys: [], columns: [col("id", "int8"), ...columns], ...over,
});
const sel = (t: EditorTable, over: Partial<TableSel> = {}): TableSel => ({ schema: t.schema, table: t.name, filter: { kind: "all" }, rules: {}, ...over });

describe("suggestChangeColumn", () => {
  it("prefers an updated-at-like timestamp, falls back to created-at (append-only), and ignores other types", () => {
    expect(suggestChangeColumn(table("a", [col("created_at", "timestamptz"), col("updated_at", "timestamptz")]))).toEqual({ column: "updated_at", appendOnly: false });
    expect(suggestChangeColumn(table("b", [col("last_modified", "timestamp")]))).toEqual({ column: "last_modified", appendOnly: false });
    expect(suggestChangeColumn(table("c", [col("created_at", "timestamptz")]))).toEqual({ column: "created_at", appendOnly: true });
    expect(suggestChangeColumn(table("d", [col("updated_at", "date"), col("modified_at", "text")]))).toBeNull();
    expect(suggestChangeColumn(table("e", [col("ordered_at", "timestamptz")]))).toBeNull();
  });
});

describe("deltaPlanOf: the engine's reasons before the run", () => {
  const ok = table("customers", [col("updated_at", "timestamptz")]);
  it("is delta with a usable key and a change column", () => {
    expect(deltaPlanOf(ok, sel(ok, { delta: { column: "updated_at" } }))).toEqual({ mode: "delta", column: "updated_at" });
  });
  it("names why a table is copied in full, with planDelta's words", () => {
    const d = { delta: { column: "updated_at" } };
    expect(deltaPlanOf(ok, sel(ok))).toEqual({ mode: "full", reason: "no change column is set for this table" });
    expect(deltaPlanOf(ok, sel(ok, { ...d, filter: { kind: "window", columns: ["updated_at"], days: 7 } }))).toEqual({ mode: "full", reason: "the table has a time-window or row filter" });
    const keyless = table("log", [col("updated_at", "timestamptz")], { primaryKey: [] });
    expect(deltaPlanOf(keyless, sel(keyless, d))).toEqual({ mode: "full", reason: "the table has no primary key" });
    const dayKey = table("days", [col("day", "date"), col("updated_at", "timestamptz")], { primaryKey: ["day"] });
    expect(deltaPlanOf(dayKey, sel(dayKey, d))).toEqual({ mode: "full", reason: "its key column day is date, whose text form cannot define source_primary_key" });
    const parted = table("events", [col("updated_at", "timestamptz")], { inheritance: true });
    expect(deltaPlanOf(parted, sel(parted, d))).toEqual({ mode: "full", reason: "partitioned and inheritance tables are re-copied in full" });
  });
});

describe("withSuggestedChangeColumns", () => {
  it("fills only tables without a change column that have a suggestion", () => {
    const a = table("a", [col("updated_at", "timestamptz")]);
    const b = table("b", [col("changed_at", "timestamptz"), col("updated_at", "timestamptz")]);
    const c = table("c", [col("ordered_at", "timestamptz")]);
    const byId = new Map([a, b, c].map((t) => [`public.${t.name}`, t]));
    const out = withSuggestedChangeColumns([sel(a), sel(b, { delta: { column: "changed_at" } }), sel(c)], byId);
    expect(out.map((s) => s.delta?.column)).toEqual(["updated_at", "changed_at", undefined]);
  });
});

describe("xmin change detection in the editor (the definition's tables[].delta.xmin)", () => {
  const noTimestamp = table("tags", [col("label", "text")]);
  it("makes a table without a timestamp column delta-updated, and is kept (with a soft-delete column) through the select", () => {
    expect(deltaPlanOf(noTimestamp, sel(noTimestamp, { delta: { xmin: true } }))).toEqual({ mode: "delta", column: "xmin" });
    expect(changeDetectionValue({ xmin: true, softDelete: "deleted" })).toBe("xmin");
    expect(changeDetectionValue({ column: "updated_at" })).toBe("updated_at");
    expect(changeDetectionValue(undefined)).toBe("");
    expect(changeDetectionOf("xmin", { column: "updated_at", softDelete: "deleted" })).toEqual({ xmin: true, softDelete: "deleted" });
    expect(changeDetectionOf("updated_at", { xmin: true })).toEqual({ column: "updated_at" });
    expect(changeDetectionOf("", { xmin: true, softDelete: "deleted" })).toBeUndefined();
  });
});
