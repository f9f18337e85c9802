"use client";

import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { localizeEngineText } from "./engine-text";

/** In a client component: `const engineText = useEngineText(); engineText(issue.message)`. */
export function useEngineText(): (message: string) => string {
  const t = useTranslations("errors");
  return useCallback(
    (message: string) => localizeEngineText(message, (id, values) => t(id as never, values as never)),
    [t],
  );
}
