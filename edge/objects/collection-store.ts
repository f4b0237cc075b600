import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

/** Storage of one account's data collections (schemas and rows). */
export class CollectionStore extends DurableObject<Env> {}
