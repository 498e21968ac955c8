"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { PiiScanProgress } from "@/lib/pii/types";
import type { JobProgressView } from "@/lib/server/services/jobs/get-job-progress";

// A scan under way, on the scan page: polls the job (GET /api/jobs/{id}, about once a second)
// and re-renders the page when it ends, so its findings appear here without opening the job.

export function ScanProgress({ jobId }: { jobId: string }) {
  const router = useRouter();
  const [progress, setProgress] = useState<PiiScanProgress | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      try {
        // Only the status and progress are wanted here, not the log lines: ask for those after the last possible id.
        const res = await fetch(`/api/jobs/${jobId}?after=${Number.MAX_SAFE_INTEGER}`, { cache: "no-store" });
        if (res.ok) {
          const view = (await res.json()) as JobProgressView;
          if (stopped) return;
          if (view.done) return router.refresh();
          setProgress(view.progress as PiiScanProgress | null);
        }
      } catch {
        // offline for a moment: try again at the next tick
      }
      if (!stopped) timer = setTimeout(poll, 1000);
    };
    timer = setTimeout(poll, 500);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [jobId, router]);
  const total = progress?.tablesTotal ?? 0;
  return (
    <span role="status" data-testid="scan-progress">
      {total ? `Scanning: ${progress!.tablesDone} of ${total} tables sampled` : "Scanning"}…
    </span>
  );
}
