import { errorMessage } from "@/core/errors";
import type { Logger, RevocationNotice } from "@/core/ports";
import { deliver, type RevocationFeed, type RevocationListener } from "./feed";

/** In-process feed for a single instance without Redis. */
export class MemoryRevocationNotifier implements RevocationFeed {
  private readonly listeners = new Set<RevocationListener>();

  constructor(private readonly logger?: Logger) {}

  async publish(notice: RevocationNotice): Promise<void> {
    deliver(this.listeners, notice, (error) =>
      this.logger?.error("revocation_listener_failed", { error: errorMessage(error) }),
    );
  }

  subscribe(listener: RevocationListener): () => void {
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const entry: RevocationListener = (notice) => listener(notice);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}
