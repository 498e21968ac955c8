import { z } from "zod";
import { CUSTOMIZATION_VALUE_MAX_LENGTH, ZCustomizationValueMap } from "../../../schemas/workflow";
import { prisma, type Db } from "../../db";
import { AppError, type FieldErrors } from "../../errors";
import { checkValue, type CustomizationValue } from "./check-customization";
import { listCustomizations } from "./list-customizations";

// The salesperson's "Next demo" values: stored on the workflow (not versioned: they change per
// demo), read by the worker when the run starts. Only declared parameters are kept.

export const ZCustomizationValues = z.object({
  workflowId: z.uuid(),
  values: ZCustomizationValueMap(z.union([z.string().max(CUSTOMIZATION_VALUE_MAX_LENGTH), z.boolean()])),
});
export type TCustomizationValues = z.infer<typeof ZCustomizationValues>;

export async function saveCustomizationValues({ db = prisma, orgId, input }: { db?: Db; orgId: string; input: TCustomizationValues }): Promise<Record<string, CustomizationValue>> {
  const { customizations } = await listCustomizations({ db, orgId, workflowId: input.workflowId });
  if (!customizations.length) throw new AppError("CONFLICT", "This workflow has no customizations to fill in.");
  const errors: FieldErrors = {};
  const values: Record<string, CustomizationValue> = {};
  for (const p of customizations.flatMap((c) => c.params)) {
    const v = input.values[p.name];
    const error = checkValue(p, typeof v === "string" ? v.trim() : v);
    if (error) errors[p.name] = [error];
    else values[p.name] = typeof v === "string" ? v.trim() : (v as boolean);
  }
  if (Object.keys(errors).length) throw new AppError("VALIDATION", "Please correct the highlighted fields.", errors);
  const updated = await db.workflow.updateMany({ where: { id: input.workflowId, orgId }, data: { customizationValues: values } });
  if (updated.count !== 1) throw new AppError("NOT_FOUND", "That workflow was not found.");
  return values;
}
