import type { ReactNode, Ref } from "react";

type Tone = "info" | "success" | "error";

const boxTones: Record<Tone, string> = {
  info: "border-info-line bg-info-soft text-info",
  success: "border-ok-line bg-ok-soft text-ok",
  error: "border-danger-line bg-danger-soft text-danger-strong",
};

const inlineTones: Record<Tone, string> = {
  info: "text-fg-soft",
  success: "text-ok",
  error: "text-danger",
};

function ToneIcon({ tone }: { tone: Tone }) {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className="mt-0.5 size-4 shrink-0">
      {tone === "success" ? (
        <path
          fillRule="evenodd"
          d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm3.86-9.86a.75.75 0 1 0-1.22-.88l-3.24 4.5-1.6-1.6a.75.75 0 0 0-1.06 1.06l2.22 2.22a.75.75 0 0 0 1.14-.09l3.76-5.21Z"
          clipRule="evenodd"
        />
      ) : tone === "info" ? (
        <path
          fillRule="evenodd"
          d="M18 10a8 8 0 1 1-16 0 8 8 0 0 1 16 0Zm-7-4a1 1 0 1 1-2 0 1 1 0 0 1 2 0ZM9 9a.75.75 0 0 0 0 1.5h.25v2.75a.75.75 0 0 0 1.5 0V9.75A.75.75 0 0 0 10 9H9Z"
          clipRule="evenodd"
        />
      ) : (
        <path
          fillRule="evenodd"
          d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16ZM9.25 6a.75.75 0 0 1 1.5 0v4.5a.75.75 0 0 1-1.5 0V6ZM10 14.75a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
          clipRule="evenodd"
        />
      )}
    </svg>
  );
}

/**
 * A short message: errors are alerts (announced at once), everything else a polite status.
 * "box" stands out (server-rendered notices); "inline" is a line of text that fits a reserved slot.
 */
export function Notice({
  tone,
  variant = "box",
  children,
  className = "",
}: {
  tone: Tone;
  variant?: "box" | "inline";
  children: ReactNode;
  className?: string;
}) {
  const look = variant === "box" ? `rounded-lg border px-3 py-2 ${boxTones[tone]}` : inlineTones[tone];
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`flex gap-2 text-sm ${look} ${className}`.trim()}>
      <ToneIcon tone={tone} />
      <div className="min-w-0">{children}</div>
    </div>
  );
}

/**
 * Reserves one line for an inline notice, so that a message appearing does not push the page around.
 * `ref` and `tabIndex` let a page move focus to the message (tabIndex -1: focusable by script only).
 */
export function MessageSlot({
  children,
  className = "",
  ref,
  tabIndex,
}: {
  children?: ReactNode;
  className?: string;
  ref?: Ref<HTMLDivElement>;
  tabIndex?: number;
}) {
  return (
    <div ref={ref} tabIndex={tabIndex} className={`min-h-5 ${className}`.trim()}>
      {children}
    </div>
  );
}

/** A form's error (not about one field), or nothing, in a slot that keeps its height. */
export function FormError({ message, className = "mt-3" }: { message: string | null | undefined; className?: string }) {
  return (
    <MessageSlot className={className}>
      {message ? (
        <Notice variant="inline" tone="error">
          {message}
        </Notice>
      ) : null}
    </MessageSlot>
  );
}
