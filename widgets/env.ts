/**
 * The page environment the widgets talk to: the Lytics-compatible tag
 * (`window.jstag`, optional) and `window.pathfora` itself.
 */
import type { Entity, FieldValue } from "../types/wire";
import type { PathforaApi, UserFields } from "../types/widgets";

/** The part of `window.jstag` the widgets use; every member may be a stub. */
export interface TagLike {
  config?: { cid?: string | string[]; url?: string };
  send?(data: Record<string, FieldValue>): void;
  getSegments?(): string[];
  getEntity?(): Entity | undefined;
  entityReady?(cb: (entity: Entity | undefined) => void): void;
  getid?(cb: (id: string) => void): unknown;
}

declare global {
  interface Window {
    jstag?: TagLike;
    pathfora?: PathforaApi;
    /** URL of the stylesheet to load instead of the bundled one (Pathfora). */
    PathforaCSS?: string;
  }
}

/** The tag, if the page has one. */
export const tag = (): TagLike | undefined => window.jstag;

/** The visitor's audience slugs (`["all"]` without a tag). */
export const segments = (): string[] => tag()?.getSegments?.() ?? ["all"];

/** The visitor's profile fields as last loaded. */
export const user = (): UserFields => tag()?.getEntity?.()?.data?.user ?? {};

/**
 * Calls `cb` with the profile once the tag has loaded it (at once when
 * there is no tag to wait for).
 */
export const whenEntity = (cb: (u: UserFields) => void): void => {
  const t = tag();
  t?.entityReady ? t.entityReady((e) => cb(e?.data?.user ?? user())) : cb(user());
};

/** `whenEntity` as a promise. */
export const entity = (): Promise<UserFields> => new Promise(whenEntity);

/** Prefix of every storage key (`PathforaImpressions_<id>`, ...). */
export const P = "Pathfora";
