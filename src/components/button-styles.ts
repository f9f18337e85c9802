export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";

const base =
  "inline-flex min-h-10 items-center justify-center gap-2 rounded-lg px-4 py-2 text-sm font-medium transition-colors " +
  "disabled:cursor-not-allowed disabled:opacity-60";

const variants: Record<ButtonVariant, string> = {
  primary: "bg-primary text-on-solid shadow-sm hover:bg-primary-hover disabled:hover:bg-primary",
  secondary: "border border-line-strong bg-surface text-fg shadow-sm hover:bg-canvas disabled:hover:bg-surface",
  danger: "bg-danger-solid text-on-solid shadow-sm hover:bg-danger-solid-hover disabled:hover:bg-danger-solid",
  ghost: "text-fg-soft hover:bg-subtle disabled:hover:bg-transparent",
};

/** Class names shared by submit buttons and plain buttons, so both look the same. */
export function buttonClasses(variant: ButtonVariant = "primary", extra = ""): string {
  return `${base} ${variants[variant]} ${extra}`.trim();
}
