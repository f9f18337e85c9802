import type { Messages } from "./catalogues";
import type { Locale } from "./locales";

// Typed translations: a key missing from the English catalogue is a compile error.
declare module "next-intl" {
  interface AppConfig {
    Locale: Locale;
    Messages: Messages;
  }
}
