"use client";

import { ConfirmDeleteButton } from "@/app/_components/confirm-delete-button";
import { deleteWorkflowAction } from "../actions";

export function DeleteWorkflowButton({ orgSlug, workflowId, name }: { orgSlug: string; workflowId: string; name: string }) {
  return (
    <ConfirmDeleteButton
      label="Delete workflow"
      question={`Delete the workflow “${name}” with its history?`}
      action={() => deleteWorkflowAction(orgSlug, { workflowId })}
      redirectTo={`/${orgSlug}/workflows`}
      done={`Workflow “${name}” deleted.`}
    />
  );
}
