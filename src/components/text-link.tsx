import Link from "next/link";
import type { ComponentProps } from "react";

/** An in-app link styled as a link (underlined on hover, accessible colour). */
export function TextLink({ className = "", ...props }: ComponentProps<typeof Link>) {
  return (
    <Link className={`font-medium text-accent underline-offset-2 hover:underline ${className}`.trim()} {...props} />
  );
}
