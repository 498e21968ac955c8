import { z } from "zod";

// Organisation API keys (CI, the CLI): shared by the admin form, its action and the services.
export const ZCreateApiKey = z.object({
  name: z.string().trim().min(1, "Name the key, e.g. \"GitHub Actions\".").max(100),
  role: z.enum(["ADMIN", "EDITOR", "VIEWER"]).default("EDITOR"),
});
export type TCreateApiKey = z.infer<typeof ZCreateApiKey>;
