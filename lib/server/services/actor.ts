import type { Role } from "../../../generated/prisma/enums";

/** Who is acting inside an organisation (built by orgAction from the session's membership). */
export type OrgActor = { userId: string; label: string; role: Role };
