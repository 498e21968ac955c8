import { z } from "zod";
import { registerAction } from "./action-registry";
import { prisma, type Db } from "./db";
import { toActionError, type ActionResult } from "./errors";
import { unauthenticated, validationError } from "./tenancy/org-action";
import { requestIp } from "./request-info";
import { getSessionUser } from "./session";

// Mutations outside an organisation: `userAction` needs a signed-in user (create an org,
// accept an invite), `publicAction` needs nobody (sign up). Both register for the tenancy test.

type Ctx = { db: Db; userId: string | null; ip: string };
type Def<S extends z.ZodType> = { name: string; schema: S };

async function run<S extends z.ZodType, R>(def: Def<S>, fn: (ctx: Ctx, input: z.output<S>) => Promise<R>, ctx: Ctx, input: unknown): Promise<ActionResult<R>> {
  try {
    const parsed = def.schema.safeParse(input);
    if (!parsed.success) throw validationError(parsed.error);
    return { ok: true, data: await fn(ctx, parsed.data) };
  } catch (err) {
    return { ok: false, error: toActionError(err) };
  }
}

export function userAction<S extends z.ZodType, R>(def: Def<S>, fn: (ctx: Ctx & { userId: string }, input: z.output<S>) => Promise<R>) {
  registerAction({
    name: def.name,
    kind: "user",
    invoke: ({ db, userId, input, ip }) => {
      if (!userId) return Promise.resolve(unauthenticated());
      return run(def, (c, i) => fn({ ...c, userId }, i), { db, userId, ip: ip ?? "test" }, input);
    },
  });
  return async function action(input: z.input<S>): Promise<ActionResult<R>> {
    const user = await getSessionUser();
    if (!user) return unauthenticated();
    return run(def, (c, i) => fn({ ...c, userId: user.id }, i), { db: prisma, userId: user.id, ip: await requestIp() }, input);
  };
}

export function publicAction<S extends z.ZodType, R>(def: Def<S>, fn: (ctx: Ctx, input: z.output<S>) => Promise<R>) {
  registerAction({
    name: def.name,
    kind: "public",
    invoke: ({ db, userId, input, ip }) => run(def, fn, { db, userId, ip: ip ?? "test" }, input),
  });
  return async function action(input: z.input<S>): Promise<ActionResult<R>> {
    const user = await getSessionUser();
    return run(def, fn, { db: prisma, userId: user?.id ?? null, ip: await requestIp() }, input);
  };
}
