import type { ReactNode } from "react";
import { Brand } from "@/components/brand";
import { LanguageSwitcher } from "@/components/language-switcher";
import { chooseLanguageAction } from "../language-actions";

/** Signed-out pages: one centred card under the product name, the language switcher below it. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center px-4 py-10 sm:justify-center sm:py-16">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex justify-center">
          <Brand className="text-lg" />
        </div>
        <main className="rounded-2xl border border-line bg-surface p-6 shadow-sm sm:p-8">{children}</main>
        <LanguageSwitcher action={chooseLanguageAction} className="mt-4 flex justify-center" />
      </div>
    </div>
  );
}
