import type { Entity } from "../types/wire";

/** Configuration of the tag (`jstag.init(config)`), Lytics v3 compatible. */
export interface TagConfig {
  /** Account id. */
  cid: string;
  /** URL the tag was loaded from. */
  src?: string;
  /** Origin (and path prefix) of the collect and personalize endpoints. */
  url: string;
  /** Stream events go to unless `send` names one. */
  stream: string;
  /** Name of the first-party id cookie. */
  cookie: string;
  /**
   * A cookie whose id is adopted when the visitor has none of ours: Lytics'
   * `seerid` by default, so visitors keep the id their imported profiles
   * carry. Empty to adopt nothing.
   */
  adoptCookie: string;
  /** Cookie domain; default: the site's registrable domain. */
  domain?: string;
  /** Cookie lifetime in days. */
  expires: number;
  /** Session timeout in seconds. */
  sessecs: number;
  /** Resolve a cross-domain id through `/cid/:cid`. */
  loadid?: boolean;
  /** Hold sends until `unblock()` (or `blockTimeout` ms). */
  blocked?: boolean;
  blockTimeout: number;
  /** Send a page view on init (default on). */
  pageAnalysis: boolean | { disabled?: boolean };
  /** Look the entity up by a field instead of the cookie. */
  entity?: { byFieldKey?: string; byFieldValue?: string };
  /** Load the entity on init (default on). */
  loadEntity: boolean;
  /** Segments `getSegments()` answers before anything is known. */
  defaultSegments: string[];
  /** Query-string parameters copied onto every event besides `utm_*`. */
  qsargs: string[];
  /** Consent: `required` holds collection until `optIn()`. */
  consent: { required?: boolean };
  /** Track SPA navigation (`pushState`/`popstate`) as page views. */
  history: boolean;
  /** Window (ms) in which calls are batched into one request. */
  batchMs: number;
  /** The account has published experiences (set by the worker in the served tag). */
  experiences?: boolean;
  /** `false` keeps the tag from loading Pathfora and the account's experiences. */
  pathfora?: boolean;
  /** The tag's version (set by the tag, as in Lytics' tag). */
  readonly version: string;
}

/** Defaults of every setting; the served script adds the account's. */
export const DEFAULTS: Omit<TagConfig, "cid" | "url" | "version"> = {
  stream: "default",
  cookie: "_uid",
  adoptCookie: "seerid",
  expires: 365,
  sessecs: 1800,
  blockTimeout: 2000,
  pageAnalysis: true,
  loadEntity: true,
  defaultSegments: ["all"],
  qsargs: [],
  consent: {},
  history: false,
  batchMs: 30,
};

/** Entity callbacks and the shape `getEntity()` returns. */
export type EntityCallback = (entity: Entity) => void;
