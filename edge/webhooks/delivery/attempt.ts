import type { SubscriptionRecord } from "../../accounts/records/subscription-catalog";
import { renderBody } from "./message";
import { retryDelay, verdictOf } from "./retry-policy";
import { postWebhook } from "./sender";
import { signatureHeaders } from "./signing";
import type { DeliveryStore } from "./store";
import type { RequestRow } from "./storage/rows";

/**
 * One attempt of one request: drops stale backfill messages, renders,
 * signs, POSTs, logs the attempt and settles the request (delivered,
 * pending on the retry schedule, or dead). Returns when the receiver
 * answered 410 Gone (the caller disables the subscription), else null.
 */
export async function attemptRequest(
  store: DeliveryStore,
  sub: SubscriptionRecord | null,
  request: RequestRow,
  retryScale: number,
): Promise<number | null> {
  // A backfill read older than a live change of the same person is stale: the live stream tells their story.
  const items = store.messages.itemsToSend(request.id);
  if (!sub || !items.length) {
    store.requests.dropRequest(request.id);
    return null;
  }
  const { body, contentType } = renderBody(items, {
    subscriptionId: sub.id,
    format: sub.config.format,
    cloudeventsType: sub.config.cloudevents_type,
    cloudeventsSource: sub.config.cloudevents_source,
    batch: sub.config.batch,
  });
  const now = Date.now();
  const secrets = sub.secrets.filter((s) => !s.expires || Date.parse(s.expires) > now).map((s) => s.secret);
  const signed = await signatureHeaders(secrets, request.id, Math.floor(now / 1000), body);
  const headers = {
    ...sub.config.headers,
    "content-type": contentType,
    "user-agent": "Pathlight-Webhooks/1.0",
    ...signed,
  };
  const outcome = await postWebhook(sub.config.webhook_url, body, headers, undefined, sub.config.method ?? "POST");
  const attempt = request.attempts + 1;
  const done = Date.now();
  store.requests.logAttempt(request.id, attempt, now, outcome.status, outcome.latencyMs, outcome.error);
  const verdict = verdictOf(outcome.status);
  if (verdict === "delivered") {
    store.requests.settle(request.id, "delivered", attempt, null, outcome.status, null, done);
  } else if (verdict === "retry") {
    const delay = retryDelay(attempt, { scale: retryScale, retryAfterMs: outcome.retryAfterMs });
    if (delay === null)
      store.requests.settle(
        request.id,
        "dead",
        attempt,
        null,
        outcome.status,
        `${outcome.error}; gave up after ${attempt} attempts`,
        done,
      );
    else store.requests.settle(request.id, "pending", attempt, done + delay, outcome.status, outcome.error, done);
  } else {
    store.requests.settle(request.id, "dead", attempt, null, outcome.status, outcome.error, done);
    if (verdict === "gone") return done;
  }
  return null;
}
