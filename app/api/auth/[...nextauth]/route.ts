// GET/POST /api/auth/* – next-auth's sign-in, sign-out, session and CSRF endpoints.
import { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { authOptions } from "@/lib/server/auth";
import { AppError, errorResponse } from "@/lib/server/errors";
import { BODY_LIMITS, readBodyText } from "@/lib/server/read-body";

const handler = NextAuth(authOptions);

type Ctx = { params: Promise<{ nextauth: string[] }> };

/** next-auth reads the whole body itself; it gets a copy read through the capped reader. */
async function POST(request: NextRequest, ctx: Ctx) {
  let body: string;
  try {
    body = await readBodyText(request, BODY_LIMITS.json);
  } catch (err) {
    if (err instanceof AppError && err.code === "PAYLOAD_TOO_LARGE") return errorResponse(err);
    throw err;
  }
  return handler(new NextRequest(request.url, { method: "POST", headers: request.headers, body }), ctx);
}

export { handler as GET, POST };
