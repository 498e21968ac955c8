import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { AppError } from "./errors";
import { prisma } from "./db";
import { ipFromHeaders } from "./request-info";
import { sameOriginPath } from "./safe-redirect";
import { verifyCredentials } from "./services/auth/verify-credentials";

// next-auth 4 (stable; v5 is still beta): credentials sign-in, JWT sessions. NEXTAUTH_SECRET
// and NEXTAUTH_URL come from the environment. authorize() throws the rate-limit message so the
// sign-in form can show it; every other failure is next-auth's generic "CredentialsSignin".
// The JWT carries the user's session version; sign-out increments it, which ends every session
// of that user on the server: each read of a session (getServerSession on every request, and
// /api/auth/session) compares it with the user's row, and a stale or orphaned JWT is refused
// and its cookie cleared.

export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const headers = (req?.headers ?? {}) as Record<string, string | undefined>;
        try {
          const user = await verifyCredentials({
            email: credentials?.email ?? "",
            password: credentials?.password ?? "",
            ip: ipFromHeaders((n) => headers[n]),
          });
          return user ? { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } : null;
        } catch (err) {
          if (err instanceof AppError && err.code === "RATE_LIMITED") throw new Error(err.message, { cause: err });
          throw err;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.uid = user.id;
        token.sv = user.sessionVersion;
        return token;
      }
      const current = token.uid ? await prisma.user.findUnique({ where: { id: token.uid }, select: { sessionVersion: true } }) : null;
      if (!current || current.sessionVersion !== (token.sv ?? 0)) throw new Error("The session has ended: signed out, or the account no longer exists.");
      return token;
    },
    session({ session, token }) {
      if (token.uid && session.user) session.user.id = token.uid;
      return session;
    },
    // Every redirect next-auth makes (callbackUrl of sign-in and sign-out) stays on the site.
    redirect({ url, baseUrl }) {
      return new URL(sameOriginPath(url, baseUrl), baseUrl).href;
    },
  },
  // Codes only: next-auth's default logger prints error objects, whose messages are not ours.
  logger: {
    error: (code) => console.error(`[next-auth] ${code}`),
    warn: (code) => console.warn(`[next-auth] ${code}`),
    debug: () => {},
  },
  events: {
    async signOut({ token }) {
      if (token?.uid) await prisma.user.updateMany({ where: { id: token.uid }, data: { sessionVersion: { increment: 1 } } });
    },
  },
};
