import { describe, expectTypeOf, it } from "vitest";
import type { Database } from "@/server/db/prisma";
import type { OwnedServices, Services } from "@/server/build-services";

// Type-level: these assertions fail the typecheck (tsc --noEmit), not the test run, if the type
// pages, routes and server actions get from getServices() ever exposes the raw database again.
describe("Services, as getServices() gives it to pages, routes and actions", () => {
  it("names the database and pings it, but holds no client and cannot close it", () => {
    expectTypeOf<Services["database"]>().toHaveProperty("kind");
    expectTypeOf<Services["database"]>().toHaveProperty("ping");
    expectTypeOf<Services["database"]>().not.toHaveProperty("prisma");
    expectTypeOf<Services["database"]>().not.toHaveProperty("close");
  });

  it("has no admin verbs, no cleanup and no close()", () => {
    expectTypeOf<Services>().not.toHaveProperty("admin");
    expectTypeOf<Services>().not.toHaveProperty("cleanup");
    expectTypeOf<Services>().not.toHaveProperty("close");
  });

  it("reads the outbox through its own capability", () => {
    expectTypeOf<Services["outbox"]["list"]>().parameters.toEqualTypeOf<[number]>();
  });

  it("is what buildServices() hands its owner, minus the raw database, the admin verbs and close()", () => {
    expectTypeOf<OwnedServices>().toExtend<Services>();
    expectTypeOf<OwnedServices["database"]>().toExtend<Database>();
    expectTypeOf<OwnedServices>().toHaveProperty("close");
  });
});
