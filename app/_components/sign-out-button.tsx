"use client";

import { signOut } from "next-auth/react";
import { Button } from "./button";

/** Signs out and opens the sign-in page (redirect: false + a relative navigation: stays on the host the user is on). */
export function SignOutButton({ className }: { className?: string }) {
  return (
    <Button
      type="button"
      variant="ghost"
      size="sm"
      className={className}
      onClick={async () => {
        await signOut({ redirect: false });
        window.location.assign("/sign-in");
      }}
    >
      Sign out
    </Button>
  );
}
