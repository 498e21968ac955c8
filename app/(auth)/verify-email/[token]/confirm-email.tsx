"use client";

import { ActionButton } from "@/app/_components/action-button";
import { verifyEmailAction } from "../actions";

/** `next` is already a same-site path (checked by the page). */
export function ConfirmEmailButton({ token, next }: { token: string; next: string }) {
  return <ActionButton label="Confirm my email address" run={() => verifyEmailAction({ token })} next={() => next} success="Email address confirmed." />;
}
