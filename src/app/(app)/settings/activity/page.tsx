import type { Metadata } from "next";
import { Notice } from "@/components/notice";
import type { ActivityPage } from "@/core/activity";
import { TextLink } from "@/components/text-link";
import { requireSession } from "@/server/auth/current-session";
import { activityQuerySchema } from "@/server/http/activity-schemas";
import { getServices } from "@/server/services";
import { ActivityPagination } from "./activity-pagination";
import { ActivityRow } from "./activity-row";

export const metadata: Metadata = { title: "Security activity" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SecurityActivityPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireSession("/settings/activity");
  // The same query schema as GET /api/account/activity; the page size is its default.
  const query = activityQuerySchema.safeParse({ cursor: (await searchParams).cursor });

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">Security activity</h1>
      <p className="mt-1 text-sm text-muted">
        Sign-ins and sign-outs on your account, newest first. Something you don’t recognise? Log that device out on the{" "}
        <TextLink href="/devices">Devices</TextLink> page and{" "}
        <TextLink href="/settings/password">change your password</TextLink>.
      </p>
      {query.success ? (
        <ActivityList
          page={await (
            await getServices()
          ).activity.page({ userId: session.claims.sub, sessionId: session.claims.sid }, query.data)}
        />
      ) : (
        <Notice tone="error" className="mt-6">
          <p>This page link is not valid: it may be incomplete or come from somewhere else.</p>
          <p className="mt-1">
            <TextLink href="/settings/activity">Show the latest activity</TextLink>
          </p>
        </Notice>
      )}
    </>
  );
}

function ActivityList({ page }: { page: ActivityPage }) {
  const now = new Date();
  if (page.items.length === 0) {
    return (
      <p className="mt-6 text-sm text-muted">
        No security events {page.newerCursor || page.olderCursor ? "on this page" : "yet"}.
      </p>
    );
  }
  return (
    <>
      <ul
        aria-label="Security events"
        className="mt-6 divide-y divide-line rounded-xl border border-line bg-surface shadow-sm"
      >
        {page.items.map((item) => (
          <ActivityRow key={item.id} item={item} now={now} />
        ))}
      </ul>
      <ActivityPagination newerCursor={page.newerCursor} olderCursor={page.olderCursor} />
    </>
  );
}
