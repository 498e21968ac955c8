"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { usePoll } from "@/app/_components/use-poll";
import type { PiiScanProgress } from "@/lib/pii/types";
import type { JobProgressView } from "@/lib/server/services/jobs/get-job-progress";

// A scan under way, on the scan page: polls the job (GET /api/jobs/{id}, about once a second, usePoll)
// and re-renders the page when it ends, so its findings appear here without opening the job.

export function ScanProgress({ jobId }: { jobId: string }) {
  const router = useRouter();
  const [progress, setProgress] = useState<PiiScanProgress | null>(null);
  usePoll(`/api/jobs/${jobId}`, {
    // Only the status and progress are wanted here, not the log lines: ask for those after the last possible id.
    query: () => `?after=${Number.MAX_SAFE_INTEGER}`,
    firstDelayMs: 500,
    onResponse: async (res) => {
      if (!res.ok) return; // asked again at the next tick
      const view = (await res.json()) as JobProgressView;
      if (view.done) {
        router.refresh();
        return "stop";
      }
      setProgress(view.progress as PiiScanProgress | null);
    },
  });
  const total = progress?.tablesTotal ?? 0;
  return (
    <span role="status" data-testid="scan-progress">
      {total ? `Scanning: ${progress!.tablesDone} of ${total} tables sampled` : "Scanning"}…
    </span>
  );
}
