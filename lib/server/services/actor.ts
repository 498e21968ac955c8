import type { Role } from "../../../generated/prisma/enums";

/** Who is acting inside an organisation: the user, the label audit entries show (their email) and their role in it. Actions build it from orgAction's context (`ctx.user`, `ctx.role`). */
export type OrgActor = { userId: string; label: string; role: Role };
