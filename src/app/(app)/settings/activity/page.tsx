import type { Metadata } from "next";
import { useTranslations } from "next-intl";
import { getTranslations } from "next-intl/server";
import { Notice } from "@/components/notice";
import { TextLink } from "@/components/text-link";
import type { ActivityPage } from "@/core/activity";
import { requireSession } from "@/server/auth/current-session";
import { activityQuerySchema } from "@/server/http/activity-schemas";
import { getServices } from "@/server/services";
import { ActivityPagination } from "./activity-pagination";
import { ActivityRow } from "./activity-row";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("activity"))("title") };
}

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SecurityActivityPage({ searchParams }: { searchParams: SearchParams }) {
  const session = await requireSession("/settings/activity");
  // The same query schema as GET /api/account/activity; the page size is its default.
  const query = activityQuerySchema.safeParse({ cursor: (await searchParams).cursor });
  const t = await getTranslations("activity");

  return (
    <>
      <h1 className="text-2xl font-semibold tracking-tight">{t("title")}</h1>
      <p className="mt-1 text-sm text-muted">
        {t.rich("intro", {
          devices: (chunks) => <TextLink href="/devices">{chunks}</TextLink>,
          password: (chunks) => <TextLink href="/settings/password">{chunks}</TextLink>,
        })}
      </p>
      {query.success ? (
        <ActivityList
          page={await (
            await getServices()
          ).activity.page({ userId: session.claims.sub, sessionId: session.claims.sid }, query.data)}
        />
      ) : (
        <Notice tone="error" className="mt-6">
          <p>{t("badLink")}</p>
          <p className="mt-1">
            <TextLink href="/settings/activity">{t("showLatest")}</TextLink>
          </p>
        </Notice>
      )}
    </>
  );
}

function ActivityList({ page }: { page: ActivityPage }) {
  const t = useTranslations("activity");
  const now = new Date();
  if (page.items.length === 0) {
    return <p className="mt-6 text-sm text-muted">{t(page.newerCursor || page.olderCursor ? "emptyPage" : "empty")}</p>;
  }
  return (
    <>
      <ul
        aria-label={t("listLabel")}
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
