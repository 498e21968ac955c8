import nodemailer from "nodemailer";

// Invite emails. With SMTP_URL set they go out through nodemailer; without it the admin is
// shown the link to copy and the link (nothing else) is written to the server log.

export type Delivery = { emailed: boolean };

export async function deliverInviteLink(opts: { to: string; orgName: string; inviterName: string; link: string }): Promise<Delivery> {
  const smtp = process.env.SMTP_URL;
  if (!smtp) {
    console.log(`[invite] SMTP_URL is not set; invite link for ${opts.orgName}: ${opts.link}`);
    return { emailed: false };
  }
  const transport = nodemailer.createTransport(smtp);
  await transport.sendMail({
    from: process.env.SMTP_FROM ?? "Doppel <no-reply@localhost>",
    to: opts.to,
    subject: `${opts.inviterName} invited you to ${opts.orgName} on Doppel`,
    text: `${opts.inviterName} invited you to join ${opts.orgName} on Doppel.\n\nAccept the invite: ${opts.link}\n\nThe link works once and expires in 7 days.`,
  });
  return { emailed: true };
}
