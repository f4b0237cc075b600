/**
 * IIFE entry of the tag (`/api/tag/:cid/latest.min.js`): installs the real
 * methods onto the snippet's `window.jstag` (or a new object). The snippet
 * then calls `jstag.init(config)` and replays its queue.
 */
import { createTag, type JsTag } from "./tag";

const w = window as unknown as { jstag?: Partial<JsTag> };
createTag((w.jstag = w.jstag || {}));
