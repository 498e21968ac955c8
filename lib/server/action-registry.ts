import type { Db } from "./db";
import type { ActionResult } from "./errors";
import type { Permissions } from "./tenancy/membership";

// Every server action registers here when its module loads, so that tests can enumerate
// them (the tenancy test fails when an action has no cross-tenant case) and invoke them as
// a given user against a given database, without a Next.js request.

export type ActionKind = "org" | "user" | "public";

export type InvokeOptions = { db: Db; userId: string | null; orgSlug?: string; input: unknown; ip?: string };

export type RegisteredAction = {
  name: string;
  kind: ActionKind;
  permission?: Permissions;
  invoke(opts: InvokeOptions): Promise<ActionResult<unknown>>;
};

const globalRegistry = globalThis as unknown as { doppelActions?: Map<string, RegisteredAction> };
const registry = (globalRegistry.doppelActions ??= new Map());

export function registerAction(action: RegisteredAction) {
  registry.set(action.name, action);
}

export function registeredActions(): RegisteredAction[] {
  return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function getRegisteredAction(name: string): RegisteredAction {
  const action = registry.get(name);
  if (!action) throw new Error(`No server action named ${name} is registered.`);
  return action;
}
