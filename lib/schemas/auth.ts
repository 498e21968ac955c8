import { z } from "zod";
import { COMMON_PASSWORDS } from "./auth-common-passwords";

// Sign-up, sign-in and invite-acceptance contracts, shared by the forms and the server.

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_POLICY_TEXT = `At least ${PASSWORD_MIN_LENGTH} characters, not your email address, and not a commonly used password.`;

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "Email is too long.")
  .pipe(z.email({ message: "Enter a valid email address." }));

export const ZName = z.string().trim().min(1, "Enter your name.").max(100, "Name must be at most 100 characters.");

/** Returns why a password is too weak, or null when it meets the policy. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > 200) return "Use at most 200 characters.";
  const lower = password.toLowerCase();
  if (email) {
    const e = email.trim().toLowerCase();
    const local = e.split("@")[0] ?? "";
    if (lower === e || (local.length >= 4 && lower.includes(local))) return "Don't use your email address in the password.";
  }
  if (COMMON_PASSWORDS.has(lower)) return "That password is too common. Choose something less guessable.";
  if (/^(.)\1+$/.test(password)) return "Don't repeat a single character.";
  return null;
}

export const ZSignUp = z
  .object({
    name: ZName,
    email: ZEmail,
    password: z.string().max(200, "Use at most 200 characters."),
    confirmPassword: z.string(),
    /** Set when the form was opened from an invite link: no personal organisation is made then. */
    inviteToken: z.string().min(10).max(200).optional(),
  })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, v.email);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
    if (v.password !== v.confirmPassword) ctx.addIssue({ code: "custom", path: ["confirmPassword"], message: "The passwords don't match." });
  });
export type TSignUp = z.infer<typeof ZSignUp>;

export const ZSignIn = z.object({
  email: ZEmail,
  password: z.string().min(1, "Enter your password.").max(200),
});
export type TSignIn = z.infer<typeof ZSignIn>;
