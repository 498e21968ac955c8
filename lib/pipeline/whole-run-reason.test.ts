import { describe, expect, it } from "vitest";
import { CYCLE_REASON, foreignKeyOrder, selectionChangeReason, standingWholeRunReason } from "./whole-run-reason";

const ref = (from: string, to: string) => ({ from, to });

describe("foreignKeyOrder", () => {
  it("puts referenced tables first, keeps the given order otherwise, and ignores self-references and tables outside the list", () => {
    expect(foreignKeyOrder(["lines", "orders", "customers"], [ref("lines", "orders"), ref("orders", "customers"), ref("customers", "customers"), ref("orders", "elsewhere")])).toEqual(["customers", "orders", "lines"]);
    expect(foreignKeyOrder(["a", "b"], [])).toEqual(["a", "b"]);
  });

  it("is null for a cycle between distinct tables, also a long one", () => {
    expect(foreignKeyOrder(["a", "b"], [ref("a", "b"), ref("b", "a")])).toBeNull();
    expect(foreignKeyOrder(["a", "b", "c", "d"], [ref("a", "b"), ref("b", "c"), ref("c", "a"), ref("d", "a")])).toBeNull();
  });
});

describe("standingWholeRunReason", () => {
  const keyed = (id: string) => ({ id, label: `public.${id}`, keyed: true });
  const keyless = (id: string) => ({ id, label: `public.${id}`, keyed: false });

  it("names a foreign-key cycle between the selected tables", () => {
    expect(standingWholeRunReason([keyed("a"), keyed("b")], [ref("a", "b"), ref("b", "a")])).toBe(CYCLE_REASON);
  });

  it("names a keyless table that another table references, but not one that only references itself or nothing references", () => {
    expect(standingWholeRunReason([keyless("codes"), keyed("uses")], [ref("uses", "codes")])).toBe("public.codes has no usable key and other tables reference it");
    expect(standingWholeRunReason([keyless("codes"), keyed("uses")], [ref("codes", "uses")])).toBeNull();
    expect(standingWholeRunReason([keyless("tree"), keyed("uses")], [ref("tree", "tree")])).toBeNull();
  });

  it("is null for keyed tables without a cycle (a self-reference is no cycle)", () => {
    expect(standingWholeRunReason([keyed("a"), keyed("b")], [ref("a", "b"), ref("a", "a")])).toBeNull();
  });
});

describe("selectionChangeReason", () => {
  it("names a removed table before an added one, and is null for the same tables in another order", () => {
    expect(selectionChangeReason(["public.a", "public.b"], ["public.a"])).toBe("a table was removed from the workflow");
    expect(selectionChangeReason(["public.a"], ["public.b"])).toBe("a table was removed from the workflow");
    expect(selectionChangeReason(["public.a"], ["public.a", "public.c"])).toBe("table public.c is new in the workflow");
    expect(selectionChangeReason(["public.a", "public.b"], ["public.b", "public.a"])).toBeNull();
  });
});
