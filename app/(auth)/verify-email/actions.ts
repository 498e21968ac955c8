"use server";

import { z } from "zod";
import { describeForLog } from "@/lib/server/errors";
import { deliverVerificationLink } from "@/lib/server/mailer";
import { appOrigin } from "@/lib/server/request-info";
import { sameOriginPath } from "@/lib/server/safe-redirect";
import { issueEmailVerification } from "@/lib/server/services/auth/issue-email-verification";
import { verifyEmail } from "@/lib/server/services/auth/verify-email";
import { publicAction, userAction } from "@/lib/server/user-action";

// Email verification: the signed-in user asks for a link to their own address (emailed through
// SMTP_URL, or shown to copy when email is not configured, like invite links); whoever opens the
// link confirms it. `next` (e.g. the invite page) is where the link leads afterwards.

const ZSendVerification = z.object({ next: z.string().max(500).optional() });

export const sendVerificationAction = userAction({ name: "auth.sendVerification", schema: ZSendVerification }, async (ctx, input) => {
  const { email, token } = await issueEmailVerification({ db: ctx.db, userId: ctx.userId });
  const origin = await appOrigin();
  const next = sameOriginPath(input.next, origin, "");
  const link = `${origin}/verify-email/${token}${next ? `?next=${encodeURIComponent(next)}` : ""}`;
  try {
    const { emailed } = await deliverVerificationLink({ to: email, link });
    return { email, emailed, link: emailed ? null : link };
  } catch (err) {
    console.error(`[verify-email] could not send the verification email (${describeForLog(err)}); showing the link instead`);
    return { email, emailed: false, link };
  }
});

export const verifyEmailAction = publicAction({ name: "auth.verifyEmail", schema: z.object({ token: z.string().min(10).max(200) }) }, (ctx, input) =>
  verifyEmail({ db: ctx.db, token: input.token }),
);
