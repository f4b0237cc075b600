/**
 * Pathlight edge worker: the Hono app plus the Durable Object classes that
 * hold accounts, identity links and profiles.
 */
import { createApp } from "./app";

export { AccountObject } from "./objects/account";
export { IdentityShard } from "./objects/identity";
export { ProfileObject } from "./objects/profile";

export default createApp();
