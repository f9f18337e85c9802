import type { Metadata } from "next";
import { Brand } from "@/components/brand";
import { TextLink } from "@/components/text-link";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center px-4 py-16 text-center">
      <Brand />
      <h1 className="mt-8 text-2xl font-semibold tracking-tight">Page not found</h1>
      <p className="mt-2 text-muted">The page you asked for does not exist, or it has moved.</p>
      <p className="mt-6">
        <TextLink href="/">Go to the start page</TextLink>
      </p>
    </main>
  );
}
