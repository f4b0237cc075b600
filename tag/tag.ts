import { loadExperiences } from "./experiences";
import type { Entity } from "../types/wire";
import { DEFAULTS, type EntityCallback, type TagConfig } from "./config";
import { getCookie, removeCookie, setCookie } from "./cookies";
import { createEmitter, type Listener } from "./emitter";
import { cookieAttributes, registrableDomain, uuid } from "./identity";
import { pageFields } from "./page";
import { getItem, getJSON, removeItem, setItem } from "./storage";
import { createTransport } from "./transport";
import { pageContent } from "./content";

/** Version sent as `_v`. */
export const VERSION = "pl-1";
/**
 * The tag's version as `jstag.config.version` reports it (Lytics' "verify the
 * installation" step reads it): major 3 is the Lytics v3 API it implements.
 */
export const TAG_VERSION = "3.0.0-pathlight.1";
/** How long the first page view may wait for the browser to be idle (ms). */
export const IDLE_TIMEOUT = 1000;
/** localStorage key of the cached audience slugs (Lytics' name). */
export const SEGMENTS_KEY = "lytics_segments";
const OPTOUT_KEY = "_pl_optout";
const OLD_ID_KEY = "_pl_uido";
/** localStorage key holding when the current session expires (ms): shared by the site's tabs, no cookie round trip. */
const SESSION_KEY = "_pl_ses";

type Data = Record<string, unknown>;
type SendArg = string | Data | ((event: Data) => void) | undefined;

/** The `window.jstag` API (Lytics JavaScript tag v3 compatible). */
export interface JsTag {
  config: TagConfig;
  /** False once the script has run, true once `init` has (Lytics' installation check). */
  isLoaded: boolean;
  init(config?: Partial<TagConfig>): JsTag;
  send(...args: SendArg[]): Data | undefined;
  identify(...args: SendArg[]): Data | undefined;
  pageView(...args: SendArg[]): Data | undefined;
  mock(...args: SendArg[]): Data;
  block(): void;
  unblock(): void;
  getid(cb?: (id: string) => void): string;
  setid(id: string): void;
  clearCookies(): void;
  loadEntity(cb?: EntityCallback): Promise<Entity | undefined>;
  getEntity(): Entity | undefined;
  entityReady(cb: EntityCallback): void;
  getSegments(): string[];
  on(topic: string, cb: Listener): () => void;
  once(topic: string, cb: Listener): () => void;
  call(name: string, ...args: unknown[]): unknown;
  optIn(): void;
  optOut(): void;
  isOptedOut(): boolean;
  flush(): Promise<unknown>;
}

declare const __plDefaults: Partial<TagConfig> | undefined;

/**
 * Installs the tag's methods onto `target` (the snippet's `window.jstag`
 * stub, so a Lytics snippet's own queue replays against the real methods).
 */
export function createTag(target: Partial<JsTag> = {}): JsTag {
  const emitter = createEmitter();
  const served = typeof __plDefaults == "object" ? __plDefaults : {};
  let config = { ...DEFAULTS, ...served } as TagConfig;
  let entity: Entity | undefined;
  let ready: EntityCallback[] = [];
  let blocked = false;
  let blockTimer: ReturnType<typeof setTimeout> | undefined;
  let newVisitor = false;
  let autoPageView = false;
  let inited = false;

  // Storage reads are kept in memory for the page: the opt-out choice, the previous id after setid,
  // the session expiry. (No storage event listener: registering one opens storage at load.)
  let optout: string | null | undefined;
  const optedOut = () => {
    const v = optout === undefined ? (optout = getItem(OPTOUT_KEY)) : optout;
    return v === "1" || (!!config.consent.required && v !== "0");
  };
  const setOptout = (v: string) => setItem(OPTOUT_KEY, (optout = v));
  let oldId: string | null | undefined;
  const base = () => (config.url.endsWith("/") ? config.url.slice(0, -1) : config.url);
  const transport = createTransport(
    (stream) => `${base()}/c/${config.cid}/${encodeURIComponent(stream)}`,
    config.batchMs,
    () => inited && !blocked && !optedOut(),
    emitter,
    // Leaving before the browser was idle: the automatic page view is built now and flushed with the rest (once:
    // pageView clears autoPageView, so the idle callback, should it still run after a bfcache restore, sends none).
    // Leaving while `loadid` resolves: the calls waiting for it are made now, with the id known so far.
    () => {
      release();
      if (autoPageView) tag.pageView();
    },
  );

  // The cookie domain (the registrable domain costs probe cookies): found when first needed.
  let domain: string | undefined | null = null;
  const attrs = (days?: number) =>
    cookieAttributes(domain === null ? (domain = config.domain ?? registrableDomain()) : domain, days);
  const writeCookie = (name: string, value: string, days?: number) => {
    setCookie(name, value, attrs(days));
    emitter.emit("cookies.written", name, value);
  };

  // Reading document.cookie is a round trip to the browser process: read the
  // cookies once per page and keep the id; setid/clearCookies/optOut update it.
  let cachedId: string | undefined;
  const uid = (): string => {
    if (cachedId) return cachedId;
    const jar = document.cookie;
    let id = getCookie(config.cookie, jar);
    if (!id) {
      // A visitor Lytics' tag already knows (its `seerid` cookie) keeps the id its profile was imported under.
      id = (config.adoptCookie && getCookie(config.adoptCookie, jar)) || ((newVisitor = true), uuid());
      if (!optedOut()) writeCookie(config.cookie, id, config.expires);
    }
    return (cachedId = id);
  };
  // Session: an expiry time in localStorage shared by the site's tabs, extended by events.
  let sessionEnd = 0;
  const sessionActive = (now: number) => sessionEnd > now || (sessionEnd = Number(getItem(SESSION_KEY))) > now;

  /** Builds an event with the Lytics raw fields. */
  const build = (data: Data, extra: Data = {}): Data => {
    const now = Date.now();
    const event: Data = {
      ...pageFields(config.qsargs),
      ...extra,
      ...data,
      _ts: now,
      _uid: uid(),
      _v: VERSION,
      _eid: uuid(),
    };
    if (newVisitor) event._getid = "t";
    if (!sessionActive(now)) {
      event._sesstart = 1;
      if (document.referrer) event._sesref = event._ref;
    }
    const old = oldId === undefined ? (oldId = getItem(OLD_ID_KEY)) : oldId;
    if (old && old !== event._uid) event._uido = old;
    return event;
  };

  const parse = (args: SendArg[]) => {
    let stream = config.stream;
    let data: Data = {};
    let cb: ((e: Data) => void) | undefined;
    for (const a of args) {
      if (typeof a == "string") stream = a;
      else if (typeof a == "function") cb = a;
      else if (a && typeof a == "object") data = a;
    }
    return { stream, data, cb };
  };

  // While `loadid` resolves the cross-domain id, calls wait so their events carry it.
  let resolving: (() => void)[] | null = null;
  const release = () => {
    const waiting = resolving ?? [];
    resolving = null;
    for (const run of waiting) run();
  };
  const enqueue = (args: SendArg[], extra?: Data): Data | undefined => {
    if (resolving) {
      resolving.push(() => enqueue(args, extra));
      return undefined;
    }
    const { stream, data, cb } = parse(args);
    if (optedOut()) return undefined;
    const event = build(data, extra);
    // The session expiry is written when it moves by more than 1/30 of the timeout (a minute by default), not per event.
    const end = (event._ts as number) + config.sessecs * 1000;
    if (end - sessionEnd > config.sessecs * 33) setItem(SESSION_KEY, String((sessionEnd = end)));
    if (event._uido) removeItem(OLD_ID_KEY), (oldId = null);
    transport.add({ i: event._eid as string, s: stream, e: event, n: 0, a: 0 }, cb);
    return event;
  };

  const setEntity = (value: Entity) => {
    entity = value;
    const segments = JSON.stringify(value.data.user.segments);
    if (getItem(SEGMENTS_KEY) !== segments) setItem(SEGMENTS_KEY, segments);
    emitter.emit("entity.loaded", value);
    const waiting = ready;
    ready = [];
    for (const cb of waiting) cb(value);
  };

  const tag = target as JsTag;
  Object.assign(tag, {
    init(opts: Partial<TagConfig> = {}) {
      config = { ...DEFAULTS, ...served, ...opts, version: TAG_VERSION } as TagConfig;
      tag.config = config;
      if (!config.cid || !config.url) throw new Error("jstag: config.cid and config.url are required");
      domain = null;
      inited = tag.isLoaded = true;
      if (config.blocked) tag.block();
      if (config.loadid) {
        resolving = [];
        setTimeout(release, config.blockTimeout);
        fetch(`${base()}/cid/${config.cid}`, { credentials: "include" })
          .then((r) => r.json() as Promise<{ data?: { _uid?: string } }>)
          .then((r) => {
            const id = r.data?._uid;
            if (id && resolving && id !== (cachedId ?? getCookie(config.cookie))) tag.setid(id);
          })
          .catch(() => {})
          .finally(release);
      }
      if (config.history) {
        const nav = () => {
          tag.pageView();
          void tag.loadEntity();
        };
        for (const m of ["pushState", "replaceState"] as const) {
          const orig = history[m];
          history[m] = function (this: History, ...a: Parameters<History["pushState"]>) {
            const before = location.href;
            orig.apply(this, a);
            if (location.href !== before) nav();
          };
        }
        addEventListener("popstate", nav);
      }
      const analysis = config.pageAnalysis;
      // A page view unless the page sends its own while the snippet's queue replays.
      autoPageView = !!analysis && !(typeof analysis == "object" && analysis.disabled);
      // Off the load path: once the browser is idle after the first paint (or after IDLE_TIMEOUT).
      const later = () => {
        if (autoPageView) tag.pageView();
        if (config.loadEntity) void tag.loadEntity();
      };
      if (typeof requestIdleCallback == "function") requestIdleCallback(later, { timeout: IDLE_TIMEOUT });
      else setTimeout(later);
      setTimeout(() => transport.drain(), 1000);
      if (config.experiences && config.pathfora !== false) loadExperiences(base(), config.cid);
      emitter.emit("init", config);
      return tag;
    },
    send: (...args: SendArg[]) => enqueue(args),
    identify: (...args: SendArg[]) => enqueue(args),
    pageView(...args: SendArg[]) {
      autoPageView = false;
      return enqueue(args, { _e: "pv", title: document.title, _content: pageContent() });
    },
    mock(...args: SendArg[]) {
      const { data, cb } = parse(args);
      const event = build(data);
      cb?.(event);
      return event;
    },
    block() {
      blocked = true;
      clearTimeout(blockTimer);
      blockTimer = setTimeout(tag.unblock, config.blockTimeout);
    },
    unblock() {
      blocked = false;
      clearTimeout(blockTimer);
      void transport.flush();
    },
    getid(cb?: (id: string) => void) {
      const id = uid();
      cb?.(id);
      return id;
    },
    setid(id: string) {
      const old = cachedId ?? getCookie(config.cookie);
      if (old && old !== id) setItem(OLD_ID_KEY, (oldId = old));
      cachedId = id;
      if (!optedOut()) writeCookie(config.cookie, id, config.expires);
    },
    clearCookies() {
      removeCookie(config.cookie, attrs());
      removeItem(SESSION_KEY);
      cachedId = undefined;
      sessionEnd = 0;
    },
    async loadEntity(cb?: EntityCallback) {
      if (optedOut()) return undefined;
      if (resolving) await new Promise<void>((r) => resolving!.push(r));
      const by = config.entity;
      const byField = by?.byFieldKey && by.byFieldValue;
      // By the cookie id: queued events (the page view) go with a request for the entity, one round trip.
      const id = byField ? "" : uid();
      try {
        let value = await transport.flush(id);
        if (!value) {
          const q = byField
            ? `field=${encodeURIComponent(by.byFieldKey!)}&value=${encodeURIComponent(by.byFieldValue!)}`
            : `uid=${encodeURIComponent(id)}`;
          const res = await fetch(`${base()}/personalize?cid=${encodeURIComponent(config.cid)}&${q}`);
          if (!res.ok) throw new Error(`personalize ${res.status}`);
          value = (await res.json()) as Entity;
        }
        setEntity(value);
        cb?.(entity!);
      } catch (err) {
        emitter.emit("entity.failed", err);
      }
      return entity;
    },
    getEntity: () => entity,
    entityReady(cb: EntityCallback) {
      if (entity) cb(entity);
      else ready.push(cb);
    },
    getSegments: () =>
      entity?.data.user.segments ?? getJSON<string[] | null>(SEGMENTS_KEY, null) ?? config.defaultSegments,
    on: emitter.on,
    once: emitter.once,
    call: (name: string, ...args: unknown[]) =>
      (tag as unknown as Record<string, (...a: unknown[]) => unknown>)[name]?.(...args),
    optIn() {
      setOptout("0");
      emitter.emit("consent.changed", true);
      void transport.flush();
    },
    optOut() {
      setOptout("1");
      transport.clear();
      tag.clearCookies();
      removeItem(SEGMENTS_KEY);
      removeItem(OLD_ID_KEY);
      oldId = null;
      entity = undefined;
      emitter.emit("consent.changed", false);
    },
    isOptedOut: optedOut,
    flush: () => transport.flush(),
  } satisfies Omit<JsTag, "config" | "isLoaded">);
  // A snippet keeps the site's config here until it calls init(config).
  tag.config ||= config;
  tag.isLoaded = false;
  return tag;
}
