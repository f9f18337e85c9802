"use client";

import { useTranslations } from "next-intl";
import { useRouter } from "next/navigation";
import { useActionState, useRef, useState } from "react";
import { buttonClasses } from "@/components/button-styles";
import { FormField } from "@/components/form-field";
import { MessageSlot, Notice } from "@/components/notice";
import { SubmitButton } from "@/components/submit-button";
import {
  beginTotpSetupAction,
  confirmTotpAction,
  disableTotpAction,
  regenerateRecoveryCodesAction,
  type DisableTotpState,
  type RecoveryCodesState,
  type TotpSetupState,
} from "./two-factor-actions";
import { PasswordAgainField } from "./password-again-field";

/**
 * The section's states: off (a "Set up" button), set-up (QR code, setup key, "Code", "Turn on"),
 * recovery codes shown once ("I have saved these codes"), and on (codes left, new codes, turn off).
 */
export function TwoFactorPanel({ enabled, recoveryCodesLeft }: { enabled: boolean; recoveryCodesLeft: number }) {
  const t = useTranslations("security.twoFactor");
  const router = useRouter();
  const [codes, setCodes] = useState<string[] | null>(null);

  if (codes) {
    return (
      <RecoveryCodes
        codes={codes}
        onSaved={() => {
          setCodes(null);
          router.refresh();
        }}
      />
    );
  }
  if (!enabled) return <SetUp onCodes={setCodes} />;
  return (
    <>
      <p className="mt-1 text-sm text-fg-soft">{t.rich("on", { strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <p className="mt-2 text-sm text-fg-soft">
        {t("codesLeft", { count: recoveryCodesLeft })}
        {recoveryCodesLeft <= 3 ? ` ${t("runningOut")}` : ""}
      </p>
      <NewRecoveryCodes onCodes={setCodes} />
      <TurnOff onDone={() => router.refresh()} />
    </>
  );
}

function ErrorLine({ state, hideWhenField }: { state: { status: string; message?: string }; hideWhenField: boolean }) {
  return (
    <MessageSlot className="mt-3">
      {state.status === "error" && !hideWhenField ? (
        <Notice variant="inline" tone="error">
          {state.message}
        </Notice>
      ) : null}
    </MessageSlot>
  );
}

const IDLE = { status: "idle" } as const;

function SetUp({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const t = useTranslations("security.twoFactor");
  const [setup, begin] = useActionState<TotpSetupState, FormData>(beginTotpSetupAction, IDLE);
  const [confirmed, confirm] = useActionState<RecoveryCodesState, FormData>(async (prev, form) => {
    const result = await confirmTotpAction(prev, form);
    if (result.status === "codes") onCodes(result.recoveryCodes);
    return result;
  }, IDLE);

  if (setup.status !== "setup") {
    const askPassword = setup.status === "error" && (setup.needsPassword || !!setup.fields.password);
    return (
      <form action={begin} noValidate>
        <p className="mt-1 text-sm text-muted">{t("off")}</p>
        {askPassword ? (
          <PasswordAgainField id="two-factor-setup-password" required errors={setup.fields.password} />
        ) : null}
        <SubmitButton pendingLabel={t("settingUp")} className="mt-4">
          {t("setUp")}
        </SubmitButton>
        <ErrorLine state={setup} hideWhenField={setup.status === "error" && !!setup.fields.password} />
      </form>
    );
  }

  const confirmError = confirmed.status === "error" ? confirmed : null;
  return (
    <form action={confirm} noValidate>
      <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm text-fg-soft">
        <li>{t("scan")}</li>
        <li>{t("enterCode")}</li>
      </ol>
      <div className="mt-4 flex flex-wrap items-center gap-6">
        <div
          role="img"
          aria-label={t("qrLabel")}
          className="size-44 shrink-0 rounded-lg border border-line bg-surface p-1 [&_svg]:size-full"
          // SVG markup drawn on the server by the qrcode library from the otpauth URI: no script in it.
          dangerouslySetInnerHTML={{ __html: setup.qrSvg }}
        />
        <div className="min-w-0">
          <p id="two-factor-setup-key-label" className="text-sm font-medium text-fg">
            {t("setupKey")}
          </p>
          <code aria-labelledby="two-factor-setup-key-label" className="mt-1 block font-mono text-sm break-all text-fg">
            {setup.secret.match(/.{1,4}/g)?.join(" ")}
          </code>
          <p className="mt-1 text-xs text-muted">{t("keyKind")}</p>
        </div>
      </div>
      <FormField
        id="two-factor-code"
        name="code"
        label={t("code")}
        type="text"
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={64}
        required
        errors={confirmError?.fields.code}
        className="mt-4 max-w-48"
      />
      <SubmitButton pendingLabel={t("turningOn")} className="mt-1">
        {t("turnOn")}
      </SubmitButton>
      <ErrorLine state={confirmed} hideWhenField={!!confirmError?.fields.code} />
    </form>
  );
}

function RecoveryCodes({ codes, onSaved }: { codes: string[]; onSaved: () => void }) {
  const t = useTranslations("security.twoFactor");
  return (
    <div>
      <Notice tone="success" className="mt-3">
        {t("saveCodes")}
      </Notice>
      <ul aria-label={t("codesLabel")} className="mt-4 grid grid-cols-2 gap-2 font-mono text-sm text-fg">
        {codes.map((code) => (
          <li key={code} className="rounded-md bg-subtle px-3 py-1.5 text-center">
            {code}
          </li>
        ))}
      </ul>
      <button type="button" onClick={onSaved} className={buttonClasses("primary", "mt-4")} autoFocus>
        {t("saved")}
      </button>
    </div>
  );
}

function NewRecoveryCodes({ onCodes }: { onCodes: (codes: string[]) => void }) {
  const t = useTranslations("security.twoFactor");
  const [state, action] = useActionState<RecoveryCodesState, FormData>(async (prev, form) => {
    const result = await regenerateRecoveryCodesAction(prev, form);
    if (result.status === "codes") onCodes(result.recoveryCodes);
    return result;
  }, IDLE);
  const error = state.status === "error" ? state : null;
  return (
    <form action={action} noValidate className="mt-4 border-t border-line pt-4" aria-labelledby="new-codes-heading">
      <h3 id="new-codes-heading" className="text-sm font-semibold">
        {t("newCodesHeading")}
      </h3>
      <p className="mt-1 text-sm text-muted">{t("newCodesIntro")}</p>
      {error && (error.needsPassword || error.fields.password) ? (
        <PasswordAgainField id="new-codes-password" required errors={error.fields.password} />
      ) : null}
      <SubmitButton variant="secondary" pendingLabel={t("makingCodes")} className="mt-3">
        {t("newCodes")}
      </SubmitButton>
      <ErrorLine state={state} hideWhenField={!!error?.fields.password} />
    </form>
  );
}

function TurnOff({ onDone }: { onDone: () => void }) {
  const t = useTranslations("security");
  const passwordRef = useRef<HTMLInputElement>(null);
  const [state, action] = useActionState<DisableTotpState, FormData>(async (prev, form) => {
    const result = await disableTotpAction(prev, form);
    if (result.status === "done") onDone();
    else passwordRef.current?.focus();
    return result;
  }, IDLE);
  const error = state.status === "error" ? state : null;
  return (
    <form action={action} noValidate className="mt-4 border-t border-line pt-4" aria-labelledby="turn-off-heading">
      <h3 id="turn-off-heading" className="text-sm font-semibold">
        {t("twoFactor.turnOffHeading")}
      </h3>
      <p className="mt-1 text-sm text-muted">{t("twoFactor.turnOffIntro")}</p>
      <FormField
        ref={passwordRef}
        id="turn-off-password"
        name="password"
        label={t("password")}
        type="password"
        autoComplete="current-password"
        required
        errors={error?.fields.password}
        className="mt-3"
      />
      <SubmitButton variant="danger" pendingLabel={t("twoFactor.turningOff")} className="mt-1">
        {t("twoFactor.turnOff")}
      </SubmitButton>
      <ErrorLine state={state} hideWhenField={!!error?.fields.password} />
    </form>
  );
}
