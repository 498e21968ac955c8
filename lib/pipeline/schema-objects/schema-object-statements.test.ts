import { describe, expect, it } from "vitest";
import { resolveObjects } from "./resolve-objects";
import { schemaObjectStatements } from "./schema-object-statements";
import { ql } from "../connect";
import type { FunctionObject, PrivilegeItem, SchemaObjects, ViewObject } from "./types";

const fn = (oid: number, name: string, extra: Partial<FunctionObject> = {}): FunctionObject => ({
  key: `fn:${oid}`, name: `public.${name}()`, identity: `public.${name}()`, kind: "function", language: "plpgsql",
  definition: `CREATE OR REPLACE FUNCTION public.${name}() RETURNS int LANGUAGE plpgsql AS $$BEGIN RETURN 1; END$$`,
  header: `CREATE OR REPLACE FUNCTION public.${name}(`, quotedName: name, schema: "public", deps: [], ...extra,
});
const view = (oid: number, name: string, extra: Partial<ViewObject> = {}): ViewObject => ({
  key: `rel:${oid}`, name: `public.${name}`, kind: "view", definition: ` SELECT 1 AS one`, options: [], populated: true,
  indexes: [], columnDefaults: [], deps: [], ...extra,
});
const objects = (o: Partial<SchemaObjects>): SchemaObjects => ({
  sourceServerMajor: 18, schemas: ["public"], extensions: [], functions: [], generated: [], views: [], rules: [], triggers: [],
  tableSecurity: [], policies: [], comments: [], privileges: [], functionsNeededByTables: [], ...o,
});
const priv = (p: Partial<PrivilegeItem>): PrivilegeItem => ({
  alterKind: "TABLE", grantKind: "TABLE", name: "public.customers", owner: "app_owner", ownable: true, acl: null, columnAcls: [], ...p,
});

describe("resolveObjects", () => {
  it("orders views and functions after what they use, whatever the catalog order", () => {
    const o = objects({
      functions: [fn(1, "score")],
      views: [
        view(30, "a_top", { deps: [{ on: "object", key: "rel:20" }] }),
        view(20, "b_summary", { deps: [{ on: "object", key: "fn:1" }, { on: "object", key: "rel:10" }] }),
        view(10, "c_base"),
      ],
    });
    expect(resolveObjects(o).order).toEqual(["fn:1", "rel:10", "rel:20", "rel:30"]);
  });

  it("skips what needs something missing, and what depends on a skipped object, with the reason", () => {
    const o = objects({
      functions: [fn(1, "agg", { kind: "aggregate", unsupported: "aggregate functions are not copied" })],
      views: [
        view(10, "uses_agg", { deps: [{ on: "object", key: "fn:1" }] }),
        view(20, "audit", { deps: [{ on: "missing", reason: "uses table public.audit_log, which is not selected" }] }),
        view(30, "over_audit", { deps: [{ on: "object", key: "rel:20" }] }),
        view(40, "fine"),
      ],
      triggers: [{ key: "trg:5", name: "t on public.audit", triggerName: "t", table: "public.audit", definition: "CREATE TRIGGER ...",
        enabled: "O", deps: [{ on: "object", key: "rel:30" }] }],
    });
    const r = resolveObjects(o);
    expect(r.skipped).toEqual([
      { kind: "aggregate", name: "public.agg()", reason: "aggregate functions are not copied" },
      { kind: "view", name: "public.uses_agg", reason: "it depends on aggregate public.agg(), which is skipped" },
      { kind: "view", name: "public.audit", reason: "it uses table public.audit_log, which is not selected" },
      { kind: "view", name: "public.over_audit", reason: "it depends on view public.audit, which is skipped" },
      { kind: "trigger", name: "t on public.audit", reason: "it depends on view public.over_audit, which is skipped" },
    ]);
    expect([...r.created]).toEqual(["rel:40"]);
  });
});

describe("schemaObjectStatements", () => {
  it("creates materialized views empty with their indexes, and refreshes only those populated on the source", () => {
    const out = schemaObjectStatements(objects({
      views: [
        view(10, "sales", { kind: "materialized view", options: ["fillfactor=90"], indexes: ["CREATE UNIQUE INDEX sales_id ON public.sales USING btree (id)"] }),
        view(20, "never_filled", { kind: "materialized view", populated: false }),
      ],
    }), { targetUser: "twin", keepOwnership: false });
    expect(out.statements).toEqual([
      "SET LOCAL check_function_bodies = off",
      "CREATE MATERIALIZED VIEW public.sales WITH (fillfactor=90) AS  SELECT 1 AS one WITH NO DATA",
      "CREATE UNIQUE INDEX sales_id ON public.sales USING btree (id)",
      "CREATE MATERIALIZED VIEW public.never_filled AS  SELECT 1 AS one WITH NO DATA",
    ]);
    expect(out.refreshMaterializedViews).toEqual(["REFRESH MATERIALIZED VIEW public.sales"]);
  });

  it("maps source roles to the target user unless they are kept and exist; PUBLIC and predefined roles stay", () => {
    const item = priv({
      acl: [
        { grantee: "app_owner", privilege: "SELECT", grantable: false },
        { grantee: null, privilege: "SELECT", grantable: false },
        { grantee: "reporting", privilege: "SELECT", grantable: true },
        { grantee: "reporting", privilege: "MAINTAIN", grantable: true },
        { grantee: "gone", privilege: "UPDATE", grantable: false },
        { grantee: "pg_read_all_data", privilege: "SELECT", grantable: false },
      ],
      columnAcls: [{ column: '"Email"', acl: [{ grantee: "support", privilege: "SELECT", grantable: false }] }],
    });
    const run = (keepOwnership: boolean, targetServerMajor?: number) => schemaObjectStatements(objects({ privileges: [item] }),
      { targetUser: "twin", keepOwnership, targetRoles: ["twin", "app_owner", "reporting", "support", "pg_read_all_data"], targetServerMajor })
      .statements.slice(1);
    expect(run(false)).toEqual([
      "REVOKE ALL ON TABLE public.customers FROM PUBLIC",
      "GRANT SELECT ON TABLE public.customers TO PUBLIC",
      'GRANT SELECT ON TABLE public.customers TO "pg_read_all_data"',
    ]);
    expect(run(true, 17)).toEqual([
      'ALTER TABLE public.customers OWNER TO "app_owner"',
      "REVOKE ALL ON TABLE public.customers FROM PUBLIC",
      "GRANT SELECT ON TABLE public.customers TO PUBLIC",
      'GRANT SELECT, MAINTAIN ON TABLE public.customers TO "reporting" WITH GRANT OPTION',
      'GRANT UPDATE ON TABLE public.customers TO "twin"',
      'GRANT SELECT ON TABLE public.customers TO "pg_read_all_data"',
      'GRANT SELECT ("Email") ON TABLE public.customers TO "support"',
    ]);
    expect(run(true, 15)).toContain('GRANT SELECT ON TABLE public.customers TO "reporting" WITH GRANT OPTION');
  });

  it("never fails on a missing role: without the target's role list every source role is the target user", () => {
    const out = schemaObjectStatements(objects({
      privileges: [priv({ owner: "someone", acl: [{ grantee: "ghost", privilege: "SELECT", grantable: false }] })],
      policies: [{ key: "pol:1", name: "p on public.t", policyName: "Own rows", table: "public.t", permissive: false, command: "UPDATE",
        roles: ["ghost", null, "ghost2"], using: "(owner = CURRENT_USER)", withCheck: null, deps: [] }],
    }), { targetUser: "twin", keepOwnership: true });
    expect(out.statements.slice(1)).toEqual([
      'CREATE POLICY "Own rows" ON public.t AS RESTRICTIVE FOR UPDATE TO "twin", PUBLIC USING ((owner = CURRENT_USER))',
      "REVOKE ALL ON TABLE public.customers FROM PUBLIC",
    ]);
  });

  it("leaves out comments and grants of skipped objects, keeps trigger states, quotes comment text", () => {
    const out = schemaObjectStatements(objects({
      views: [view(10, "gone", { deps: [{ on: "missing", reason: "uses table x, which is not selected" }] })],
      triggers: [{ key: "trg:2", name: "t", triggerName: "Audit Me", table: "public.t", definition: "CREATE TRIGGER \"Audit Me\" ...", enabled: "D", deps: [] }],
      comments: [
        { target: "VIEW public.gone", text: "x", objectKey: "rel:10" },
        { target: "TABLE public.t", text: "it's a C:\\path" },
      ],
      privileges: [priv({ alterKind: "VIEW", name: "public.gone", acl: [], objectKey: "rel:10" })],
    }), { targetUser: "twin", keepOwnership: false });
    expect(out.statements.slice(1)).toEqual([
      'CREATE TRIGGER "Audit Me" ...',
      'ALTER TABLE public.t DISABLE TRIGGER "Audit Me"',
      "COMMENT ON TABLE public.t IS E'it''s a C:\\\\path'",
    ]);
  });
});

describe("ql", () => {
  it("doubles quotes, and escapes backslashes in an E'' literal", () => {
    expect(ql("O'Brien")).toBe("'O''Brien'");
    expect(ql("a\\b")).toBe("E'a\\\\b'");
  });
});
