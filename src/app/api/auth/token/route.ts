import { otherMethods } from "@/server/http/method-not-allowed";
import { AuthError } from "@/core/errors";
import { parseInput } from "@/core/validation";
import { readBody } from "@/server/http/body";
import { tokenResponse } from "@/server/http/responses";
import { apiRoute } from "@/server/http/route";
import { passwordGrantSchema, refreshGrantSchema } from "@/server/http/schemas";
import { mfaOtpGrantSchema, mfaRecoveryCodeGrantSchema } from "@/server/http/two-factor-schemas";
import { engineText } from "@/core/messages";

/**
 * RFC 6749 token endpoint: the password grant (§4.3) signs a device in, refresh_token (§6) rotates.
 * With two-factor sign-in on, the password grant answers 400 `mfa_required` with an `mfa_token`,
 * and `mfa_otp` / `mfa_recovery_code` complete that sign-in.
 */
export const POST = apiRoute(async ({ request, services, client }) => {
  const body = await readBody(request);
  switch (body.grant_type) {
    case "password":
      return tokenResponse(await services.engine.signIn(parseInput(passwordGrantSchema, body), client));
    case "refresh_token":
      return tokenResponse(await services.engine.refresh(parseInput(refreshGrantSchema, body).refresh_token, client));
    case "mfa_otp":
      return tokenResponse(await services.engine.completeSignIn(parseInput(mfaOtpGrantSchema, body), client));
    case "mfa_recovery_code":
      return tokenResponse(await services.engine.completeSignIn(parseInput(mfaRecoveryCodeGrantSchema, body), client));
    case undefined:
    case "":
      throw new AuthError("invalid_request", engineText("request.parameterRequired", { parameter: "grant_type" }), {
        fields: { grant_type: [engineText("request.parameterRequired", { parameter: "grant_type" })] },
      });
    default:
      throw new AuthError("unsupported_grant_type", engineText("request.grantTypes"));
  }
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
