import { CHROME_MAC, SAFARI_IPHONE } from "../api-client";
import type { DeviceActions } from "./actors";
import type { LoadDriver } from "./driver";
import type { SoakModel } from "./model";
import { Semaphore } from "./semaphore";
import type { Tally } from "./tally";

const USER_AGENTS = [
  CHROME_MAC,
  SAFARI_IPHONE,
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
];

/**
 * Set-up before the clock starts: `userCount` users registered (four at a time), `devices` devices
 * shared out `perUser` to a user, every device signed in once and then warmed up, so that the timed
 * phase is the soak itself. `runId` keeps the accounts of this run apart from any other's.
 */
export async function populate(
  model: SoakModel,
  act: DeviceActions,
  driver: LoadDriver,
  tally: Tally,
  plan: { runId: string; devices: number; perUser: number; userCount: number },
): Promise<void> {
  const { runId, perUser } = plan;
  for (let n = 0; n < plan.userCount; n++) {
    model.users.push({
      n,
      email: `soak.${runId}.${n}@example.com`,
      password: `soak-password-${runId}-${n}`,
      id: "",
      epoch: 0,
      raises: [],
      lock: new Semaphore(1),
      writesInFlight: 0,
      writeGen: 0,
      sessions: [],
      passwordChanges: 0,
      tainted: false,
    });
  }
  for (let i = 0; i < model.users.length; i += 4) {
    await Promise.all(
      model.users.slice(i, i + 4).map(async (user) => {
        const res = await driver.send("register", "POST", "/api/auth/register", {
          json: { email: user.email, password: user.password, name: `Soak ${user.n}` },
        });
        const id = (res.body as { user?: { id?: string } }).user?.id;
        if (res.status !== 201 || !id)
          throw new Error(`soak: registering ${user.email} answered ${res.status} ${JSON.stringify(res.body)}`);
        user.id = id;
      }),
    );
  }
  for (let i = 0; i < plan.devices; i++) {
    const user = model.users[Math.floor(i / perUser)]!;
    const n = i % perUser;
    model.devices.push({
      user,
      n,
      name: `soak u${user.n} d${n}`,
      userAgent: `${USER_AGENTS[n % USER_AGENTS.length]} SoakDevice/${user.n}.${n}`,
      pair: null,
    });
  }

  await Promise.all(
    model.devices.map(async (device) => {
      for (let attempt = 0; attempt < 3 && !device.pair; attempt++) await act.signIn(device, "first_sign_in");
      if (!device.pair) throw new Error(`soak: device ${device.name} could not sign in:\n${tally.failures.join("\n")}`);
    }),
  );
  // One request per device at once, with nothing else going on: every device then has its own
  // keep-alive connection. Otherwise the first requests of the timed phase open ~150 connections
  // under full load, and a busy Next server accepts them one by one (seconds of latency that say
  // more about the load generator than about the app).
  await Promise.all(
    model.devices.map((device) => (device.pair ? act.me(device, device.pair, "warm-up", "warm_up") : undefined)),
  );
}
