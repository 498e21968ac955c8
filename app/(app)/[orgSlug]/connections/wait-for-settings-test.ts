import type { FormResult } from "@/app/_components/use-form-action";
import type { ConnectionJobView } from "@/lib/server/services/connections/connection-status";

const NO_WORKER =
  "No worker has run this test yet. Is a worker running? (`npm start` runs one; more with `npm run worker`.) Nothing was saved.";

/** Polls tests/<jobId> (about twice a second) until the worker has finished the form's test; gives up after a minute. */
export async function waitForSettingsTest(orgSlug: string, jobId: string): Promise<FormResult<ConnectionJobView>> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    try {
      const res = await fetch(`/${orgSlug}/connections/tests/${jobId}`, { cache: "no-store" });
      const body = await res.json();
      if (!res.ok) return { ok: false, error: { code: body?.error?.code ?? "INTERNAL", message: body?.error?.message ?? "Could not read the test's outcome." } };
      const view = body as ConnectionJobView;
      if (view.status === "SUCCEEDED" || view.status === "FAILED" || view.status === "CANCELED") return { ok: true, data: view };
    } catch {
      // Lost contact for a moment: keep asking until the deadline.
    }
  }
  return { ok: false, error: { code: "TIMEOUT", message: NO_WORKER } };
}
