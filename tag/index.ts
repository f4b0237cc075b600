/**
 * IIFE entry of the tag (`/api/tag/:cid/latest.min.js`): installs the real
 * methods onto the snippet's `window.jstag` (or a new object). The snippet
 * then calls `jstag.init(config)` and replays its queue.
 */
import { createTag, type JsTag } from "./tag";

declare global {
  interface Window {
    jstag: Partial<JsTag>;
  }
}

createTag((window.jstag = window.jstag || {}));
