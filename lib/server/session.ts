import { getServerSession } from "next-auth/next";
import { cache } from "react";
import { authOptions } from "./auth";
import { prisma } from "./db";

// The signed-in user of this request, re-read from the database (a deleted user's JWT is
// worthless), or null. Cached per request.

export type SessionUser = { id: string; email: string; name: string };

export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  return prisma.user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
});
