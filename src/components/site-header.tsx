import { Brand } from "./brand";
import { NavLinks } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

/**
 * Header of the signed-in pages: product, navigation, who is signed in, sign out. One row from
 * `sm` up; on phones the account line (email + sign out) wraps below, in the same reading order.
 * `signOutAction` is the server action the sign-out form posts to, given by the layout.
 */
export function SiteHeader({ email, signOutAction }: { email: string; signOutAction: () => Promise<void> }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-4xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3 sm:gap-x-4">
        <Brand className="mr-auto sm:mr-2" />
        <nav aria-label="Main">
          <NavLinks />
        </nav>
        <div className="flex w-full min-w-0 items-center justify-between gap-3 border-t border-slate-100 pt-2 sm:ml-auto sm:w-auto sm:border-0 sm:pt-0">
          <span className="min-w-0 truncate text-sm text-slate-600 sm:max-w-64" title={email}>
            {email}
          </span>
          <form action={signOutAction} className="shrink-0">
            <SignOutButton />
          </form>
        </div>
      </div>
    </header>
  );
}
