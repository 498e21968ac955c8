import { describe, expect, it } from "vitest";
import { softDeleteRefusal, softDeleteRefusedReason } from "./soft-delete-refusal";

describe("softDeleteRefusal", () => {
  const refs = [{ from: "orders", to: "customers", name: "orders_customer_id_fkey" }, { from: "tree", to: "tree", name: "tree_parent_fkey" }];

  it("refuses a table another table references, and a self-referencing one", () => {
    expect(softDeleteRefusal("customers", refs)).toEqual(refs[0]);
    expect(softDeleteRefusal("tree", refs)).toEqual(refs[1]);
  });

  it("allows a table that only references others, or is not referenced", () => {
    expect(softDeleteRefusal("orders", refs)).toBeUndefined();
    expect(softDeleteRefusal("tags", refs)).toBeUndefined();
  });

  it("says why in the words of the engine's error", () => {
    expect(softDeleteRefusedReason("public.orders", "orders_customer_id_fkey")).toBe("public.orders references it (foreign key orders_customer_id_fkey): removing its deleted rows from the twin would break that key");
  });
});
