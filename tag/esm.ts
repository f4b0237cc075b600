/**
 * ESM entry (`import { createTag } from "pathlight/tag"`): for sites that
 * bundle the tag instead of pasting the snippet.
 */
export { createTag, VERSION, SEGMENTS_KEY, type JsTag } from "./tag";
export type { TagConfig } from "./config";
