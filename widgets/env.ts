/**
 * The page environment the widgets talk to: the Lytics-compatible tag
 * (`window.jstag`, optional), the legacy Lytics tag (`window.lio`, which
 * Pathfora prefers when present), Google Analytics and `window.pathfora`.
 */
import type { Entity, FieldValue } from "../types/wire";
import type { PathforaApi, UserFields } from "../types/widgets";

/** The part of `window.jstag` the widgets use; every member may be a stub. */
export interface TagLike {
  config?: { cid?: string | string[]; url?: string; cookie?: string };
  send?(data: Record<string, FieldValue>): void;
  getSegments?(): string[];
  getEntity?(): Entity | undefined;
  entityReady?(cb: (entity: Entity | undefined) => void): void;
  getid?(cb: (id: string) => void): unknown;
}

/** The legacy Lytics tag (< 3.0): profile fields and audiences in `data`. */
export interface LegacyTag {
  data?: UserFields & { segments?: string[] };
  loaded?: boolean;
  account?: { id?: string };
}

/** A Google Analytics (analytics.js) tracker. */
interface GaTracker {
  get(field: string): string;
}

declare global {
  interface Window {
    jstag?: TagLike;
    lio?: LegacyTag;
    /** Overrides the visitor Pathfora asks recommendations for (legacy). */
    liosetup?: { field?: string; value?: string };
    ga?: ((...args: unknown[]) => void) & { getAll?(): GaTracker[] };
    gtag?: (...args: unknown[]) => void;
    pathfora?: PathforaApi;
    /** URL of the stylesheet to load instead of the bundled one (Pathfora). */
    PathforaCSS?: string;
  }
}

/** The tag, if the page has one. */
export const tag = (): TagLike | undefined => window.jstag;

/** The legacy tag's profile, if the page has one (Pathfora reads it first). */
const legacy = (): LegacyTag["data"] => window.lio?.data;

/** The visitor's audience slugs (`["all"]` without a tag). */
export const segments = (): string[] => legacy()?.segments ?? tag()?.getSegments?.() ?? ["all"];

/** The visitor's profile fields as last loaded. */
export const user = (): UserFields => legacy() ?? tag()?.getEntity?.()?.data?.user ?? {};

/**
 * Calls `cb` with the profile once a tag has loaded it (at once when the
 * legacy tag has, or when there is no tag to wait for).
 */
export const whenEntity = (cb: (u: UserFields) => void): void => {
  const t = tag();
  window.lio?.loaded || !t?.entityReady ? cb(user()) : t.entityReady((e) => cb(e?.data?.user ?? user()));
};

/** `whenEntity` as a promise. */
export const entity = (): Promise<UserFields> => new Promise(whenEntity);

/** The account id: `pathfora.acctid`, else the legacy tag's, else the tag's first `cid`. */
export const account = (): string | undefined => {
  const c = tag()?.config?.cid;
  return window.pathfora?.acctid || window.lio?.account?.id || (Array.isArray(c) ? c[0] : c);
};

/** Where `pathfora.min.js` was loaded from (its stylesheet and chunks sit beside it). */
export const base = (document.currentScript as HTMLScriptElement | null)?.src || location.href;

/** Loads a script that sits beside `pathfora.min.js`. */
export const chunk = (name: string): unknown =>
  document.head.appendChild(Object.assign(document.createElement("script"), { src: new URL(name, base).href }));

/** Prefix of every storage key (`PathforaImpressions_<id>`, ...). */
export const P = "Pathfora";
