import { errorMessage } from "@/core/errors";
import type { Logger, RevocationNotice } from "@/core/ports";
import { deliver, parseRevocationNotice, type RevocationFeed, type RevocationListener } from "./feed";
import { createSubscriberClient, type RedisClient } from "./redis-client";

export interface RedisRevocationNotifierOptions {
  /** The shared command client (see createRedisClient); publishing uses it, it is never closed here. */
  redis: RedisClient;
  /** Same prefix as the store's; the channel is `${keyPrefix}revocations`. */
  keyPrefix: string;
  logger: Logger;
}

/**
 * Fans revocations out to every instance over Redis pub/sub. Best effort by nature: a notice sent
 * while a subscriber is disconnected is lost, which is fine because it only hurries browsers along;
 * the per-request check is what enforces a revocation.
 */
export class RedisRevocationNotifier implements RevocationFeed {
  readonly channel: string;
  private readonly redis: RedisClient;
  private readonly logger: Logger;
  private readonly listeners = new Set<RevocationListener>();
  private subscriber: RedisClient | null = null;
  private closed = false;
  private subscriberDown = false;
  private malformedLogged = false;

  constructor(options: RedisRevocationNotifierOptions) {
    this.redis = options.redis;
    this.logger = options.logger;
    this.channel = `${options.keyPrefix}revocations`;
  }

  async publish(notice: RevocationNotice): Promise<void> {
    try {
      await this.redis.publish(this.channel, JSON.stringify(notice));
    } catch (error) {
      // Redis is down: at least this instance's own listeners hear about it (our subscriber
      // would otherwise have delivered it back to us). Then report the failure to the caller.
      this.deliverLocally(notice);
      throw error;
    }
  }

  subscribe(listener: RevocationListener): () => void {
    if (this.closed) throw new Error("RedisRevocationNotifier is closed");
    const entry: RevocationListener = (notice) => listener(notice);
    this.listeners.add(entry);
    this.ensureSubscriber();
    return () => {
      this.listeners.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = null;
    // disconnect(), not quit(): nothing pending on this connection is worth waiting for, and quit()
    // would wait behind a queued SUBSCRIBE while Redis is unreachable.
    subscriber?.disconnect();
  }

  /** One dedicated connection per process, opened on the first subscription. */
  private ensureSubscriber(): void {
    if (this.subscriber) return;
    // Waits for the connection instead of failing fast like the shared client (see redis-client.ts).
    const subscriber = createSubscriberClient(this.redis);
    subscriber.on("message", (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const notice = parseRevocationNotice(message);
      if (!notice) {
        if (!this.malformedLogged) {
          this.malformedLogged = true;
          this.logger.warn("revocation_notice_malformed", { channel });
        }
        return;
      }
      this.deliverLocally(notice);
    });
    subscriber.on("error", (error: Error) => {
      if (this.subscriberDown) return;
      this.subscriberDown = true;
      this.logger.warn("revocation_subscriber_unavailable", { error: error.message });
    });
    subscriber.on("ready", () => {
      if (!this.subscriberDown) return;
      this.subscriberDown = false;
      this.logger.info("revocation_subscriber_recovered");
    });
    subscriber.subscribe(this.channel).catch((error: unknown) => {
      if (this.closed) return;
      this.logger.warn("revocation_subscribe_failed", { error: errorMessage(error) });
    });
    this.subscriber = subscriber;
  }

  private deliverLocally(notice: RevocationNotice): void {
    deliver(this.listeners, notice, (error) =>
      this.logger.error("revocation_listener_failed", { error: errorMessage(error) }),
    );
  }
}
