// Audience changes are routed with the subscriptions an isolate last read
// (for SUBSCRIPTION_CACHE_MS); once that expires, the account object is
// asked again. Many changes routed at the same moment (profiles handing
// their changes over, the queue consumer) must ask it once, not each.
import { describe, expect, it } from "vitest";
import type { SubscriptionIndex } from "../../../edge/accounts/records/subscription-catalog";
import type { Env } from "../../../edge/platform/env";
import {
  forgetSubscriptionRoutes,
  SUBSCRIPTION_CACHE_MS,
  subscriptionRoutesOf,
} from "../../../edge/webhooks/subscriptions";

/** An environment whose account objects answer `subscriptionIndex` after `delayMs`, counting the questions. */
function accountsAnswering(routes: unknown[], delayMs = 20) {
  const asked: (string | null)[] = [];
  const stub = {
    subscriptionIndex: async (known: string | null): Promise<SubscriptionIndex> => {
      asked.push(known);
      await new Promise((r) => setTimeout(r, delayMs));
      return known === "v1" ? { version: "v1", unchanged: true } : ({ version: "v1", routes } as SubscriptionIndex);
    },
  };
  const env = { ACCOUNT: { idFromName: (n: string) => n, get: () => stub } } as unknown as Env;
  return { env, asked };
}

describe("subscription routes of an account", () => {
  it("asks the account object once for changes routed at the same moment", async () => {
    const cid = `routes-${Date.now()}`;
    const routes = [{ id: "s1", active: true, segments: {}, triggerFields: [] }];
    const { env, asked } = accountsAnswering(routes);
    const answers = await Promise.all(Array.from({ length: 10 }, () => subscriptionRoutesOf(env, cid)));
    expect(asked).toEqual([null]);
    for (const a of answers) expect(a).toEqual(routes);
    // Within the cache time no question at all.
    expect(await subscriptionRoutesOf(env, cid)).toEqual(routes);
    expect(asked).toHaveLength(1);
  });

  it("asks again once the cache time passed (one question, naming the version it has)", async () => {
    const cid = `routes-expiry-${Date.now()}`;
    const routes = [{ id: "s1", active: true, segments: {}, triggerFields: [] }];
    const { env, asked } = accountsAnswering(routes);
    await subscriptionRoutesOf(env, cid);
    await new Promise((r) => setTimeout(r, SUBSCRIPTION_CACHE_MS + 50));
    const answers = await Promise.all(Array.from({ length: 5 }, () => subscriptionRoutesOf(env, cid)));
    expect(asked).toEqual([null, "v1"]);
    for (const a of answers) expect(a).toEqual(routes);
  });

  it("does not join a question asked before a change made through this isolate", async () => {
    const cid = `routes-forget-${Date.now()}`;
    const { env, asked } = accountsAnswering([]);
    const first = subscriptionRoutesOf(env, cid);
    forgetSubscriptionRoutes(cid);
    const second = subscriptionRoutesOf(env, cid);
    await Promise.all([first, second]);
    expect(asked).toHaveLength(2);
  });
});
