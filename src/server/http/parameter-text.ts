import { z } from "zod";
import { engineText } from "@/core/messages";

/** A required text parameter of the API, named as the API spells it, up to `max` characters. */
export function parameterText(parameter: string, max: number) {
  return z
    .string({ error: engineText("request.parameterRequired", { parameter }) })
    .min(1, engineText("request.parameterRequired", { parameter }))
    .max(max, engineText("request.parameterTooLong", { parameter }));
}
