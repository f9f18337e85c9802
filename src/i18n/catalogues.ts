import enAccount from "../../messages/en/account.json";
import enActivity from "../../messages/en/activity.json";
import enAuth from "../../messages/en/auth.json";
import enCommon from "../../messages/en/common.json";
import enDevices from "../../messages/en/devices.json";
import enErrors from "../../messages/en/errors.json";
import enMail from "../../messages/en/mail.json";
import enSecurity from "../../messages/en/security.json";
import enShell from "../../messages/en/shell.json";
import zhAccount from "../../messages/zh-CN/account.json";
import zhActivity from "../../messages/zh-CN/activity.json";
import zhAuth from "../../messages/zh-CN/auth.json";
import zhCommon from "../../messages/zh-CN/common.json";
import zhDevices from "../../messages/zh-CN/devices.json";
import zhErrors from "../../messages/zh-CN/errors.json";
import zhMail from "../../messages/zh-CN/mail.json";
import zhSecurity from "../../messages/zh-CN/security.json";
import zhShell from "../../messages/zh-CN/shell.json";
import type { Locale } from "./locales";

/**
 * Every text the app shows, per language: one JSON file per namespace under messages/<locale>/
 * (a namespace per area of the app, so that one area's texts are found, and changed, together).
 * English is the reference: the type of every catalogue is the English one, and
 * tests/unit/catalogues.test.ts fails when the two languages differ in keys or placeholders.
 */
const en = {
  common: enCommon,
  shell: enShell,
  auth: enAuth,
  devices: enDevices,
  activity: enActivity,
  account: enAccount,
  security: enSecurity,
  errors: enErrors,
  mail: enMail,
};

export type Messages = typeof en;

const catalogues: Record<Locale, Messages> = {
  en,
  "zh-CN": {
    common: zhCommon,
    shell: zhShell,
    auth: zhAuth,
    devices: zhDevices,
    activity: zhActivity,
    account: zhAccount,
    security: zhSecurity,
    errors: zhErrors,
    mail: zhMail,
  } as Messages,
};

export function messagesFor(locale: Locale): Messages {
  return catalogues[locale];
}

/** What pages send to the browser: every namespace but the mail, which only the server writes. */
export function browserMessagesFor(locale: Locale): Omit<Messages, "mail"> {
  const { mail: _mail, ...rest } = messagesFor(locale);
  return rest;
}
