import { describe, expect, it } from "vitest";
import { ACTIONS, can, canAssignRole, PERMISSIONS, RESOURCES, ROLES } from "./permissions";

describe("permission table", () => {
  it("owner can do everything an admin can, plus delete and transfer the org", () => {
    for (const r of RESOURCES) for (const a of ACTIONS) if (can("ADMIN", r, a)) expect(can("OWNER", r, a), `${r}:${a}`).toBe(true);
    expect(can("OWNER", "org", "delete")).toBe(true);
    expect(can("OWNER", "org", "transfer")).toBe(true);
    expect(can("ADMIN", "org", "delete")).toBe(false);
    expect(can("ADMIN", "org", "transfer")).toBe(false);
  });

  it("admin manages members, invites, connections, workflows, api keys and reads the audit log", () => {
    for (const r of ["member", "invite", "connection", "workflow", "api_key"] as const) {
      for (const a of ["read", "create", "update", "delete"] as const) expect(can("ADMIN", r, a), `${r}:${a}`).toBe(true);
    }
    expect(can("ADMIN", "audit_log", "read")).toBe(true);
    expect(can("ADMIN", "workflow", "run")).toBe(true);
  });

  it("editor edits demo values and runs workflows, but never touches connections, secrets or members", () => {
    expect(can("EDITOR", "customization_values", "update")).toBe(true);
    expect(can("EDITOR", "workflow", "run")).toBe(true);
    expect(can("EDITOR", "job", "run")).toBe(true);
    for (const a of ACTIONS) {
      expect(can("EDITOR", "connection", a)).toBe(false);
      expect(can("EDITOR", "api_key", a)).toBe(false);
      expect(can("EDITOR", "member", a)).toBe(false);
      expect(can("EDITOR", "invite", a)).toBe(false);
    }
    expect(can("EDITOR", "workflow", "update")).toBe(false);
    expect(can("EDITOR", "audit_log", "read")).toBe(false);
  });

  it("viewer only reads, and not members, connections, keys or the audit log", () => {
    for (const r of RESOURCES) for (const a of ACTIONS) if (a !== "read") expect(can("VIEWER", r, a), `${r}:${a}`).toBe(false);
    for (const r of ["member", "invite", "connection", "api_key", "audit_log"] as const) expect(can("VIEWER", r, "read")).toBe(false);
    expect(can("VIEWER", "workflow", "read")).toBe(true);
    expect(can("VIEWER", "job", "read")).toBe(true);
  });

  it("the table only names known resources and actions", () => {
    for (const role of ROLES) {
      for (const [resource, actions] of Object.entries(PERMISSIONS[role])) {
        expect(RESOURCES).toContain(resource);
        for (const a of actions ?? []) expect(ACTIONS).toContain(a);
      }
    }
  });

  it("only an owner hands out the owner role", () => {
    expect(canAssignRole("OWNER", "OWNER")).toBe(true);
    expect(canAssignRole("ADMIN", "OWNER")).toBe(false);
    expect(canAssignRole("ADMIN", "EDITOR")).toBe(true);
    expect(canAssignRole("EDITOR", "VIEWER")).toBe(false);
    expect(canAssignRole("VIEWER", "VIEWER")).toBe(false);
  });
});
