import "server-only";
import { getEngineText } from "@/i18n/server-engine-text";

/** The engine's sentence for a link it refuses (unknown, used, superseded or expired). */
const DEAD_LINK = "This link is invalid, was already used or has expired.";

/**
 * What an emailed link's page says when the link cannot be used, in the reader's language: also
 * for a token the form's checks refuse, which only a new link fixes just the same.
 */
export async function deadLinkMessage(): Promise<string> {
  return (await getEngineText())(DEAD_LINK);
}
