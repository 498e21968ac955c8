import { describe, expect, it } from "vitest";
import { retargetSchemas } from "./retarget-schemas";

const names = new Map([["public", "doppel_stage_x_0"], ["Sales Dept", "doppel_stage_x_1"]]);

describe("retargetSchemas", () => {
  it("rewrites schema qualifiers of the selected schemas, quoted or not", () => {
    expect(retargetSchemas("FOREIGN KEY (a) REFERENCES public.users(id)", names)).toBe('FOREIGN KEY (a) REFERENCES "doppel_stage_x_0".users(id)');
    expect(retargetSchemas('x "Sales Dept".mood[]', names)).toBe('x "doppel_stage_x_1".mood[]');
    expect(retargetSchemas("CHECK (public.ok(a) AND PUBLIC.ok(b))", names)).toBe('CHECK ("doppel_stage_x_0".ok(a) AND "doppel_stage_x_0".ok(b))');
  });

  it("leaves literals, bodies, comments, other schemas and non-qualifiers alone", () => {
    for (const sql of [
      "CHECK (a <> 'public.users')",
      "CHECK (a <> E'it\\'s public.x')",
      "AS $fn$ SELECT public.users $fn$",
      "AS $$ SELECT public.users $$",
      "-- public.users\n",
      "/* public.users /* nested */ public.x */",
      "auth.users",
      "t.public.x",
      "CHECK (public = 1)",
      "mypublic.x",
      '"public "."x"',
    ]) expect(retargetSchemas(sql, names), sql).toBe(sql);
  });

  it("treats $1 as a parameter, not a dollar quote", () => {
    expect(retargetSchemas("f($1, public.x)", names)).toBe('f($1, "doppel_stage_x_0".x)');
  });
});
