import type { ReactNode } from "react";
import { Brand } from "@/components/brand";
import { LanguageSwitcher } from "@/components/language-switcher";
import { chooseLanguageAction } from "../language-actions";

/**
 * Signed-out pages: one centred card under the product name, the language switcher below it; the
 * name and the switcher are the page's header and footer, so that all of it is in a landmark.
 */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center px-4 py-10 sm:justify-center sm:py-16">
      <div className="w-full max-w-sm">
        <header className="mb-6 flex justify-center">
          <Brand className="text-lg" />
        </header>
        <main className="rounded-2xl border border-line bg-surface p-6 shadow-sm sm:p-8">{children}</main>
        <footer className="mt-4 flex justify-center">
          <LanguageSwitcher action={chooseLanguageAction} />
        </footer>
      </div>
    </div>
  );
}
