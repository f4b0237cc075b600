import type { PageProps } from "../types";
import { CreateSubscription } from "./create";
import { SubscriptionDetail } from "./detail";
import { SubscriptionList } from "./list";

/**
 * Webhooks: `#webhooks` lists subscriptions, `#webhooks/new` creates one
 * (its signing secret shown once), `#webhooks/<id>` shows one with its
 * delivery log, replay, rotation, pause and delete.
 */
export default function WebhooksPage({ session, role, path }: PageProps) {
  const id = path[0];
  if (!id) return <SubscriptionList session={session} role={role} />;
  if (id === "new") return <CreateSubscription session={session} />;
  return <SubscriptionDetail key={id} session={session} role={role} id={id} />;
}
