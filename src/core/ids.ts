import { randomUUID } from "node:crypto";
import { randomToken } from "./crypto";

/** 128 random bits: a session id is not a secret, but must not be guessable or enumerable. */
export function newSessionId(): string {
  return randomToken(16);
}

export function newUserId(): string {
  return randomUUID();
}

export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
