import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

/** Webhook delivery state of one subscription (queue, attempts, dead letters). */
export class DeliveryObject extends DurableObject<Env> {}
