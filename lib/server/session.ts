import { getServerSession } from "next-auth/next";
import { cache } from "react";
import { authOptions } from "./auth";
import { prisma } from "./db";

// The signed-in user of this request, re-read from the database, or null. Cached per request.
// A deleted user's JWT is worthless, and so is one issued before the user's last sign-out
// (getServerSession refuses it: the session version check in lib/server/auth.ts).

export type SessionUser = { id: string; email: string; name: string; emailVerified: boolean };

export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  const user = await prisma.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, emailVerifiedAt: true } });
  if (!user) return null;
  return { id: user.id, email: user.email, name: user.name, emailVerified: user.emailVerifiedAt !== null };
});
