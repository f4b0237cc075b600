/**
 * Collect's `?_entity=1` (a POST from the tag): the page view and the
 * entity in one round trip. After the batch is stored, the answer also
 * carries, as `entity`, the body `GET /personalize?cid=&uid=` would give for
 * the batch's visitor (its `_uid`), so the entity reflects the batch
 * (read-your-writes). Only when the account allows public personalization
 * (the same check `/personalize` makes; the origin was checked by the
 * browser guard); otherwise the answer is the plain collect result and the
 * tag asks `/personalize`, which answers why not.
 */
import { z } from "@hono/zod-openapi";
import type { CollectEvent, Entity } from "../../types/wire";
import type { AccountConfig } from "../accounts/settings/config";
import { eligibleFor } from "../experiences/delivery/service";
import type { Env } from "../platform/env";
import { personalizeEntity } from "../profiles/personalize-entity";
import { EntitySchema } from "../profiles/schemas";
import { CollectResultSchema } from "./schemas";

/** The query parameter asking for the entity; never an event field. */
export const ENTITY_FLAG = "_entity";

/** Whether a collect call asks for the entity (`?_entity=1` on a POST). */
export function wantsEntity(method: string, search: URLSearchParams | null): boolean {
  return method === "POST" && search?.get(ENTITY_FLAG) === "1";
}

/** The entity of the visitor who sent `events` (the last `_uid` in the batch), or undefined. */
export async function entityAnswer(
  env: Env,
  account: AccountConfig,
  events: readonly CollectEvent[],
): Promise<Entity | undefined> {
  if (!account.public_personalization) return undefined;
  let uid: string | undefined;
  for (const e of events) if (typeof e._uid === "string" && e._uid) uid = e._uid;
  if (!uid || uid.length > 256) return undefined;
  return personalizeEntity(env, account, "_uid", uid, eligibleFor);
}

/** The query of a tag POST: `_entity=1` asks for the entity in the answer. */
export const CollectEntityQuery = z.object({
  [ENTITY_FLAG]: z.enum(["1"]).optional().openapi({
    description:
      "`1`: after storing the batch, answer also the visitor's entity (as `entity`, the body `GET /personalize?cid=&uid=` gives for the batch's `_uid`): one round trip for the page view and the entity. Only when the account allows public personalization; otherwise `entity` is absent. Never stored as an event field.",
  }),
});

/** A collect answer with the entity (`?_entity=1`). */
export const CollectWithEntitySchema = CollectResultSchema.extend({ entity: EntitySchema.optional() }).openapi(
  "CollectResultWithEntity",
);
