// GET /api/health – 200 when the app database answers (used by start scripts and probes).
import { prisma } from "@/lib/server/db";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await prisma.$queryRaw`SELECT 1`;
    return Response.json({ ok: true });
  } catch {
    return Response.json({ ok: false, error: "The app database is not reachable." }, { status: 503 });
  }
}
