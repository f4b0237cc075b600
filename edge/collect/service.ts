/**
 * What a collect call does once its events are read: validate them (422
 * naming each field, nothing stored), then for the browser, content
 * discovery of page views, the profiles' ingest and first-visit counts.
 */
import type { CollectEvent } from "../../types/wire";
import type { AccountConfig } from "../accounts/config";
import { countFirstVisits, discoverPageViews } from "../content/collect-hook";
import type { Env } from "../platform/env";
import { unprocessable } from "../platform/http/errors";
import { ingestEvents } from "../profiles/ingest/ingest-events";
import { validateEvents } from "./parse";

/** What a collect call stored. */
export interface Collected {
  received: number;
  anonymous: number;
  /** The events as stored (after validation). */
  events: CollectEvent[];
}

function validated(raw: unknown[], stream: string | undefined): CollectEvent[] {
  const parsed = validateEvents(raw, stream);
  if (!parsed.ok) throw unprocessable("the events are not valid; nothing was stored", parsed.errors);
  return parsed.events;
}

/** Stores a browser call's events (identifiers unverified: they never merge profiles). */
export async function collectBrowserEvents(
  env: Env,
  account: AccountConfig,
  raw: unknown[],
  stream: string | undefined,
): Promise<Collected> {
  const events = validated(raw, stream);
  await discoverPageViews(env, account, events);
  const result = await ingestEvents(env, account, events, false);
  await countFirstVisits(env, account, result.profiles);
  return { received: result.received, anonymous: result.anonymous, events };
}

/** Stores a server's events (token): their identifiers are verified, so they link and merge profiles. */
export async function collectServerEvents(
  env: Env,
  account: AccountConfig,
  raw: unknown[],
  stream: string,
): Promise<Collected> {
  const events = validated(raw, stream);
  const result = await ingestEvents(env, account, events, true);
  return { received: result.received, anonymous: result.anonymous, events };
}
