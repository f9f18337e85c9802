"use client";

import { createContext, type ReactNode, useContext, useState } from "react";
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

export function DeviceFeedbackMessage({ className }: { className?: string }) {
  const { state } = useContext(FeedbackContext);
  return (
    <MessageSlot className={className}>
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
