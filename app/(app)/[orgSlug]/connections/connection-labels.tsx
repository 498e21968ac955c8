import { Badge } from "@/app/_components/badge";

export const KIND_LABEL = { POSTGRES: "PostgreSQL", S3: "S3" } as const;

export function TestBadge({ status }: { status: string | null }) {
  switch (status) {
    case null:
      return <span className="text-sm text-slate-400">Not tested</span>;
    case "SUCCEEDED":
      return <Badge tone="green">Works</Badge>;
    case "FAILED":
      return <Badge tone="red">Failed</Badge>;
    case "CANCELED":
      return <Badge tone="gray">Cancelled</Badge>;
    default:
      return <Badge tone="blue">Testing…</Badge>;
  }
}
