import type { Permission } from "@/lib/server/permissions";

// The workflow page's tab bar, as data (like nav.ts). `path` is below /<orgSlug>/workflows/<id>;
// "" is the workflow itself. The tab bar hides tabs the member's role cannot use.

export type WorkflowTab = { label: string; path: string; permission: Permission };

export const WORKFLOW_TABS: WorkflowTab[] = [
  { label: "Workflow", path: "", permission: ["workflow", "read"] },
  { label: "Customizations", path: "customizations", permission: ["customization_values", "read"] },
  { label: "Runs", path: "runs", permission: ["job", "read"] },
];
