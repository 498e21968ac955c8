import { AppError } from "./errors";

// The one way route handlers read a request body: at most `maxBytes`, counted while streaming
// (a Content-Length above the cap is refused before reading; a chunked body is cut off at the
// cap), so nobody can make the app hold or store an unbounded body. Over the cap:
// AppError PAYLOAD_TOO_LARGE (413). Server actions are bounded by next.config.js instead.

export const BODY_LIMITS = {
  /** JSON APIs and next-auth's form posts. */
  json: 64 * 1024,
  /** The run API, whose body may carry a migration script (ZRunRequest allows 1,000,000 characters). */
  runRequest: 4 * 1024 * 1024,
} as const;

const tooLarge = (maxBytes: number) =>
  new AppError("PAYLOAD_TOO_LARGE", `The request body is larger than this endpoint accepts (${Math.floor(maxBytes / 1024)} KiB). Send less data.`);

export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) {
    await request.body?.cancel().catch(() => {});
    throw tooLarge(maxBytes);
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
