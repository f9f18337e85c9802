"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/devices", label: "devices" },
  { href: "/settings/password", label: "password" },
  { href: "/settings/security", label: "security" },
  { href: "/settings/activity", label: "activity" },
  { href: "/settings/account", label: "account" },
] as const;

function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

/**
 * The signed-in navigation; marks the current page for assistive technology and visually. Its links
 * wrap on a narrow screen rather than push the page sideways (five of them do not fit in 390 px).
 */
export function NavLinks() {
  const pathname = usePathname();
  const t = useTranslations("shell.nav");
  return (
    <ul className="flex flex-wrap items-center gap-1">
      {LINKS.map(({ href, label }) => {
        const active = isActive(pathname, href);
        return (
          <li key={href}>
            <Link
              href={href}
              aria-current={active ? "page" : undefined}
              className={
                "rounded-md px-2.5 py-2 text-sm font-medium transition-colors sm:px-3 " +
                (active ? "bg-accent-soft text-accent" : "text-fg-soft hover:bg-subtle hover:text-fg")
              }
            >
              {t(label)}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
