import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Revocable sessions", template: "%s · Revocable sessions" },
  description: "Sign-in with JWTs you can revoke: one device, all others, or everywhere.",
};

// Every page is rendered per request: the proxy's CSP nonce must reach Next's inline scripts.
export const dynamic = "force-dynamic";

export const viewport: Viewport = {
  themeColor: "#f8fafc",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">{children}</body>
    </html>
  );
}
