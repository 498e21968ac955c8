import type { IconName } from "@/app/_components/icons";
import type { Permission } from "@/lib/server/permissions";

// The organisation's navigation, as data. Add a page by adding an entry here (with the
// permission its page checks); the sidebar hides entries the member's role cannot use.
// List only pages that exist.

export type NavItem = {
  label: string;
  /** Path below /<orgSlug>; "" is the dashboard. */
  path: string;
  icon: IconName;
  permission: Permission;
  section: "main" | "settings";
};

export const ORG_NAV: NavItem[] = [
  { label: "Dashboard", path: "", icon: "home", permission: ["org", "read"], section: "main" },
  { label: "Workflows", path: "workflows", icon: "flow", permission: ["workflow", "read"], section: "main" },
  { label: "Connections", path: "connections", icon: "plug", permission: ["connection", "read"], section: "main" },
  { label: "Demos", path: "demo", icon: "sparkle", permission: ["customization_values", "update"], section: "main" },
  { label: "Runs", path: "jobs", icon: "activity", permission: ["job", "read"], section: "main" },
  { label: "PII scanner", path: "scan", icon: "search", permission: ["connection", "read"], section: "main" },
  { label: "Members", path: "settings/members", icon: "users", permission: ["member", "read"], section: "settings" },
  { label: "API keys", path: "settings/api-keys", icon: "key", permission: ["api_key", "read"], section: "settings" },
  { label: "Audit log", path: "settings/audit", icon: "list", permission: ["audit_log", "read"], section: "settings" },
  { label: "Organisation", path: "settings/general", icon: "settings", permission: ["org", "update"], section: "settings" },
];
