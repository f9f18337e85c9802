"use client";

import { createContext, type ReactNode, useContext, useEffect, useRef, useState } from "react";
import { MessageSlot, Notice } from "@/components/notice";
import type { DeviceActionState } from "./actions";

interface Feedback {
  state: DeviceActionState;
  report: (state: DeviceActionState) => void;
}

const FeedbackContext = createContext<Feedback>({ state: { status: "idle" }, report: () => {} });

/**
 * Holds the outcome of the last device action at page level: the row or button that ran it is often
 * gone once the list revalidates, but its message must stay (and be announced).
 */
export function DeviceFeedbackProvider({ children }: { children: ReactNode }) {
  const [state, report] = useState<DeviceActionState>({ status: "idle" });
  return <FeedbackContext value={{ state, report }}>{children}</FeedbackContext>;
}

export function useReportDeviceResult(): (state: DeviceActionState) => void {
  return useContext(FeedbackContext).report;
}

/**
 * The outcome, where focus goes once it arrives: the button that was pressed usually left with its
 * row, and focus left behind on nothing would send a screen reader (and the next Tab, in some
 * browsers) back to the top of the page.
 */
export function DeviceFeedbackMessage({ className }: { className?: string }) {
  const { state } = useContext(FeedbackContext);
  const slot = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.status !== "idle") slot.current?.focus();
  }, [state]);
  return (
    <MessageSlot ref={slot} tabIndex={-1} className={`outline-none ${className ?? ""}`.trim()}>
      {state.status === "done" ? (
        <Notice variant="inline" tone="success">
          {state.message}
        </Notice>
      ) : null}
      {state.status === "error" ? (
        <Notice variant="inline" tone="error">
          {state.message}
        </Notice>
      ) : null}
    </MessageSlot>
  );
}
