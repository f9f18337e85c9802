/** Next calls this once per server instance, in each runtime. Only the Node.js server has work to do. */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is a build-time constant set by Next, not configuration: reading it here lets the
  // bundler drop the Node-only import from the Edge build.
  // eslint-disable-next-line no-restricted-syntax
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("./server/boot")).boot();
}
