import { getTranslations } from "next-intl/server";
import { Brand } from "./brand";
import { LanguageSwitcher } from "./language-switcher";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

/**
 * Header of the signed-in pages: product, navigation, who is signed in, language, sign out. One row
 * on a wide screen (the header is wider than the page's content, so the English labels fit at
 * 1280 px); narrower, the account line (email, language, sign out) wraps below, in the same order.
 * `signOutAction` and `languageAction` are the server actions its forms post to, given by the layout.
 */
export async function SiteHeader({
  email,
  signOutAction,
  languageAction,
}: {
  email: string;
  signOutAction: () => Promise<void>;
  languageAction: (formData: FormData) => Promise<void>;
}) {
  const t = await getTranslations("shell.nav");
  return (
    <header className="border-b border-line bg-surface">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 sm:gap-x-4">
        <Brand className="mr-auto sm:mr-2" />
        <nav aria-label={t("label")}>
          <NavLinks />
        </nav>
        <div className="flex w-full min-w-0 items-center justify-between gap-3 border-t border-line pt-2 sm:ml-auto sm:w-auto sm:border-0 sm:pt-0">
          <span className="min-w-0 truncate text-sm text-muted sm:max-w-64" title={email}>
            {email}
          </span>
          <LanguageSwitcher action={languageAction} className="shrink-0" />
          <form action={signOutAction} className="shrink-0">
            <SignOutButton />
          </form>
        </div>
      </div>
    </header>
  );
}
