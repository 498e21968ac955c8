import type { Role } from "../../generated/prisma/enums";

// Permissions as data: role -> resource -> actions. The server checks `can()` on every
// mutation (orgAction) and page; the UI only hides what the server would refuse anyway.

export const RESOURCES = [
  "org",
  "member",
  "invite",
  "connection",
  "workflow",
  "customization_values",
  "job",
  "api_key",
  "audit_log",
] as const;
export type Resource = (typeof RESOURCES)[number];

export const ACTIONS = ["read", "create", "update", "delete", "run", "transfer"] as const;
export type Action = (typeof ACTIONS)[number];

export type Permission = readonly [Resource, Action];

type Table = Record<Role, Partial<Record<Resource, readonly Action[]>>>;

const READ: readonly Action[] = ["read"];
const CRUD: readonly Action[] = ["read", "create", "update", "delete"];

export const PERMISSIONS: Table = {
  OWNER: {
    org: ["read", "update", "delete", "transfer"],
    member: CRUD,
    invite: CRUD,
    connection: CRUD,
    workflow: [...CRUD, "run"],
    customization_values: ["read", "update"],
    job: ["read", "run", "delete"],
    api_key: CRUD,
    audit_log: READ,
  },
  ADMIN: {
    org: ["read", "update"],
    member: CRUD,
    invite: CRUD,
    connection: CRUD,
    workflow: [...CRUD, "run"],
    customization_values: ["read", "update"],
    job: ["read", "run", "delete"],
    api_key: CRUD,
    audit_log: READ,
  },
  // The salesperson: fills in demo values and resets the demo; never sees connections or secrets.
  EDITOR: {
    org: READ,
    workflow: ["read", "run"],
    customization_values: ["read", "update"],
    job: ["read", "run"],
  },
  VIEWER: {
    org: READ,
    workflow: READ,
    customization_values: READ,
    job: READ,
  },
};

export function can(role: Role, resource: Resource, action: Action): boolean {
  return PERMISSIONS[role][resource]?.includes(action) ?? false;
}

export const ROLES: readonly Role[] = ["OWNER", "ADMIN", "EDITOR", "VIEWER"];

/** Only an owner may hand out (or take away) the owner role. */
export function canAssignRole(actor: Role, role: Role): boolean {
  if (role === "OWNER") return actor === "OWNER";
  return can(actor, "member", "update");
}
