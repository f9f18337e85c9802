"use client";

import { useEffect } from "react";
import { NewDeviceNotices, readNewDeviceSignIn, useNewDeviceSignIns } from "./new-device-notice";

const CHANNEL = "revocable-sessions";

/**
 * Keeps an open page honest: when this browser's session is revoked (from another device, by a
 * password change, or by "Sign out" in another tab), the server pushes `signed-out` over
 * server-sent events and the page moves to /login with the reason at once, without a click.
 * Tabs also tell each other through a BroadcastChannel, in case one of them lost its stream.
 */
export function SessionWatcher() {
  const newDevices = useNewDeviceSignIns();
  const { add: addNewDevice } = newDevices;
  useEffect(() => {
    let left = false;
    const channel = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(CHANNEL);
    const source = new EventSource("/api/session/events");

    const leave = (reason: string) => {
      if (left) return;
      left = true;
      source.close();
      // A full navigation on purpose: it drops the client router cache of the signed-out session.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      window.location.assign(`/login?reason=${encodeURIComponent(reason)}`);
    };

    source.addEventListener("signed-out", (event) => {
      const reason = readReason((event as MessageEvent<string>).data);
      channel?.postMessage({ type: "signed-out", reason });
      leave(reason);
    });
    // Another device signed in to this account for the first time: say so here (ADR 8).
    source.addEventListener("new-device", (event) => {
      const signIn = readNewDeviceSignIn((event as MessageEvent<string>).data);
      if (signIn) addNewDevice(signIn);
    });
    if (channel) {
      channel.onmessage = (event: MessageEvent<{ type?: string; reason?: string }>) => {
        if (event.data?.type === "signed-out") leave(event.data.reason ?? "revoked");
      };
    }
    return () => {
      left = true;
      source.close();
      channel?.close();
    };
  }, [addNewDevice]);
  return <NewDeviceNotices signIns={newDevices.signIns} onDismiss={newDevices.dismiss} />;
}

function readReason(data: string): string {
  try {
    const value = JSON.parse(data) as { reason?: unknown };
    return typeof value.reason === "string" ? value.reason : "revoked";
  } catch {
    return "revoked";
  }
}
