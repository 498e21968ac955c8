import { describe, expect, it } from "vitest";
import { describeStatement, stagingNames } from "./staging-ddl";

describe("describeStatement", () => {
  const st = stagingNames(["public", "Sales Dept"], "ab12");
  it("names the object a statement creates or alters, under its source schema, without the definition", () => {
    expect(describeStatement('CREATE TABLE "doppel_stage_ab12_0".users (id int, email text CHECK (email <> \'x\'))', st)).toBe('CREATE TABLE "public".users');
    expect(describeStatement('ALTER DOMAIN "doppel_stage_ab12_1"."Mood" ADD CONSTRAINT c CHECK (VALUE > 0)', st)).toBe('ALTER DOMAIN "Sales Dept"."Mood"');
    expect(describeStatement("CREATE OR REPLACE FUNCTION public.f(a int) RETURNS int AS $$ SELECT 1 $$", null)).toBe("CREATE OR REPLACE FUNCTION public.f");
    expect(describeStatement("ALTER TABLE ONLY public.t ALTER COLUMN a SET DEFAULT 'secret'", null)).toBe("ALTER TABLE ONLY public.t");
    expect(describeStatement("SET LOCAL check_function_bodies = off", null)).toBe("SET LOCAL");
  });
});
