import { describe, expect, it } from "vitest";
import { parseEnv } from "@/server/env";
import { hasHashTag } from "@/server/env-redis";
import { redisTopology } from "@/server/revocation/redis-client";

describe("Redis topology in the environment", () => {
  it("no Redis at all: the in-process store, prefix rjs:", () => {
    const env = parseEnv({ REDIS_URL: "", REDIS_SENTINELS: "", REDIS_CLUSTER_NODES: "" });
    expect(redisTopology(env)).toBeNull();
    expect(env.REDIS_KEY_PREFIX).toBe("rjs:");
  });

  it("REDIS_URL: one server, as before", () => {
    const env = parseEnv({ REDIS_URL: "redis://127.0.0.1:6379" });
    expect(redisTopology(env)).toEqual({ kind: "standalone", url: "redis://127.0.0.1:6379" });
    expect(env.REDIS_KEY_PREFIX).toBe("rjs:");
  });

  it("Sentinel: the list, the master name, credentials, TLS and db", () => {
    const env = parseEnv({
      REDIS_SENTINELS: " sentinel-a:26379, 10.0.0.7:26380 ,[::1]:26381",
      REDIS_SENTINEL_NAME: "rjs-master",
      REDIS_SENTINEL_PASSWORD: "s3ntinel",
      REDIS_USERNAME: "app",
      REDIS_PASSWORD: "pw",
      REDIS_TLS: "1",
      REDIS_DB: "2",
    });
    expect(redisTopology(env)).toEqual({
      kind: "sentinel",
      sentinels: [
        { host: "sentinel-a", port: 26379 },
        { host: "10.0.0.7", port: 26380 },
        { host: "::1", port: 26381 },
      ],
      name: "rjs-master",
      sentinelPassword: "s3ntinel",
      username: "app",
      password: "pw",
      tls: true,
      db: 2,
    });
    expect(env.REDIS_KEY_PREFIX).toBe("rjs:");
  });

  it("Cluster: seed nodes, and the key prefix defaults to a hash tag", () => {
    const env = parseEnv({ REDIS_CLUSTER_NODES: "node-1:7000,node-2:7000" });
    expect(redisTopology(env)).toEqual({
      kind: "cluster",
      nodes: [
        { host: "node-1", port: 7000 },
        { host: "node-2", port: 7000 },
      ],
      username: undefined,
      password: undefined,
      tls: false,
    });
    expect(env.REDIS_KEY_PREFIX).toBe("{rjs}:");
    expect(parseEnv({ REDIS_CLUSTER_NODES: "n:7000", REDIS_KEY_PREFIX: "app{sessions}:" }).REDIS_KEY_PREFIX).toBe(
      "app{sessions}:",
    );
  });

  it.each([
    [
      { REDIS_URL: "redis://r:6379", REDIS_SENTINELS: "s:26379", REDIS_SENTINEL_NAME: "m" },
      /REDIS_URL: set only one of REDIS_URL, REDIS_SENTINELS/,
    ],
    [
      { REDIS_SENTINELS: "s:26379", REDIS_CLUSTER_NODES: "n:7000", REDIS_SENTINEL_NAME: "m" },
      /REDIS_CLUSTER_NODES: set only one/,
    ],
    [{ REDIS_SENTINELS: "s:26379" }, /REDIS_SENTINEL_NAME: is required with REDIS_SENTINELS/],
    [{ REDIS_SENTINEL_NAME: "m" }, /REDIS_SENTINEL_NAME: only applies with REDIS_SENTINELS/],
    [
      { REDIS_CLUSTER_NODES: "n:7000", REDIS_SENTINEL_PASSWORD: "x" },
      /REDIS_SENTINEL_PASSWORD: only applies with REDIS_SENTINELS/,
    ],
    [
      { REDIS_URL: "redis://r:6379", REDIS_PASSWORD: "x" },
      /REDIS_PASSWORD: only applies with REDIS_SENTINELS or REDIS_CLUSTER_NODES \(with REDIS_URL, write it in the URL/,
    ],
    [{ REDIS_TLS: "true" }, /REDIS_TLS: only applies with/],
    [{ REDIS_CLUSTER_NODES: "n:7000", REDIS_DB: "3" }, /REDIS_DB: a Redis Cluster has database 0 only/],
    [
      { REDIS_CLUSTER_NODES: "n:7000", REDIS_KEY_PREFIX: "rjs:" },
      /REDIS_KEY_PREFIX: must contain a hash tag with REDIS_CLUSTER_NODES, e\.g\. "\{rjs\}:"/,
    ],
    [{ REDIS_CLUSTER_NODES: "n:7000", REDIS_KEY_PREFIX: "{}rjs:" }, /REDIS_KEY_PREFIX: must contain a hash tag/],
    [{ REDIS_CLUSTER_NODES: "n" }, /REDIS_CLUSTER_NODES: "n" is not host:port/],
    [{ REDIS_SENTINELS: "s:99999", REDIS_SENTINEL_NAME: "m" }, /REDIS_SENTINELS: "s:99999" is not host:port/],
    [{ REDIS_SENTINELS: " , ", REDIS_SENTINEL_NAME: "m" }, /REDIS_SENTINELS: lists no sentinels/],
    [{ REDIS_TLS: "yes", REDIS_CLUSTER_NODES: "n:7000" }, /REDIS_TLS/],
  ])("refuses %o at boot", (source, message) => {
    expect(() => parseEnv(source)).toThrow(message);
  });

  it("never echoes a password in its messages", () => {
    expect(() =>
      parseEnv({
        REDIS_URL: "redis://r:6379",
        REDIS_PASSWORD: "hunter2-secret",
        REDIS_SENTINEL_PASSWORD: "other-secret",
      }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringMatching(/hunter2-secret|other-secret/) }));
  });

  it("recognises a hash tag the way Redis Cluster does", () => {
    expect(hasHashTag("{rjs}:")).toBe(true);
    expect(hasHashTag("app:{x}:")).toBe(true);
    expect(hasHashTag("rjs:")).toBe(false);
    expect(hasHashTag("{}rjs:")).toBe(false); // empty tag: the whole key is hashed
    expect(hasHashTag("{rjs:")).toBe(false); // never closed within the prefix
    expect(hasHashTag("}{rjs}")).toBe(true);
  });
});
