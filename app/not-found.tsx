import { ButtonLink } from "./_components/button";
import { Logo } from "./_components/logo";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <Logo className="mb-8 text-xl" />
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="mt-2 text-2xl font-semibold text-slate-900">Page not found</h1>
      <p className="mt-2 max-w-md text-sm text-slate-500">
        This page doesn&apos;t exist, or you don&apos;t have access to it. If someone sent you this link, ask them to invite you to their organisation.
      </p>
      <ButtonLink href="/" variant="secondary" className="mt-6">
        Back to Doppel
      </ButtonLink>
    </main>
  );
}
