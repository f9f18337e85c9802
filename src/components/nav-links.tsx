"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/devices", label: "Devices" },
  { href: "/settings/password", label: "Password" },
  { href: "/settings/security", label: "Security" },
  { href: "/settings/activity", label: "Activity" },
  { href: "/settings/account", label: "Account" },
] as const;

function isActive(pathname: string, href: string): boolean {
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** The signed-in navigation; marks the current page for assistive technology and visually. */
export function NavLinks() {
  const pathname = usePathname();
  return (
    <ul className="flex items-center gap-1">
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
              {label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
