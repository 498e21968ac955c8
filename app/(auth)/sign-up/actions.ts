"use server";

import { ZSignUp } from "@/lib/schemas/auth";
import { signUp } from "@/lib/server/services/auth/sign-up";
import { publicAction } from "@/lib/server/user-action";

export const signUpAction = publicAction({ name: "auth.signUp", schema: ZSignUp }, (ctx, input) => signUp({ db: ctx.db, input, ip: ctx.ip }));
