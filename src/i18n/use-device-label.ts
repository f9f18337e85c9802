import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { localizeDeviceLabel } from "./device-label";

/** In a component (server or client): `const deviceLabel = useDeviceLabel(); deviceLabel("Firefox on Linux")`. */
export function useDeviceLabel(): (label: string) => string {
  const t = useTranslations("common.deviceLabel");
  return useCallback((label: string) => localizeDeviceLabel(label, (key, values) => t(key, values)), [t]);
}
