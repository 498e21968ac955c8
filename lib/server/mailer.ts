import nodemailer from "nodemailer";

// Emails with a link (invites, email verification). With SMTP_URL set they go out through
// nodemailer; without it the caller shows the link to copy instead. Links carry tokens, so they
// are never written to the server log, and neither is a send error's message (it can quote the
// envelope); only its class and code.

export type Delivery = { emailed: boolean };

async function send(mail: { to: string; subject: string; text: string }): Promise<Delivery> {
  const smtp = process.env.SMTP_URL;
  if (!smtp) return { emailed: false };
  await nodemailer.createTransport(smtp).sendMail({ from: process.env.SMTP_FROM ?? "Doppel <no-reply@localhost>", ...mail });
  return { emailed: true };
}

export function deliverInviteLink(opts: { to: string; orgName: string; inviterName: string; link: string }): Promise<Delivery> {
  return send({
    to: opts.to,
    subject: `${opts.inviterName} invited you to ${opts.orgName} on Doppel`,
    text: `${opts.inviterName} invited you to join ${opts.orgName} on Doppel.\n\nAccept the invite: ${opts.link}\n\nThe link works once and expires in 7 days.`,
  });
}

export function deliverVerificationLink(opts: { to: string; link: string }): Promise<Delivery> {
  return send({
    to: opts.to,
    subject: "Confirm your email address for Doppel",
    text: `Someone (hopefully you) asked to confirm ${opts.to} for a Doppel account.\n\nConfirm the address: ${opts.link}\n\nThe link works once and expires in 24 hours. If it was not you, ignore this email.`,
  });
}
