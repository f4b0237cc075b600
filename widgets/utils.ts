/** `pathfora.utils`: Pathfora's public helpers, with its names and behaviour. */
import type { PathforaUtils } from "../types/widgets";
import { read, readCookie, saveCookie, write } from "./store";
import { merge } from "./util";

const deleteCookie = (name: string): void => saveCookie(name, "", new Date(1e3));

/** Characters Pathfora's `escapeURI` escapes (Chromium's table): controls, space, `"%'<>[\]^\`{|}`, DEL and Latin-1. */
const UNSAFE = /%[\dA-Fa-f]{2}|[\0- "%'<>[-^`{-}\x7f-\xff]/g;

export const utils: PathforaUtils = {
  read,
  write,
  erase: (key) => (localStorage.removeItem(key), deleteCookie(key)),
  readCookie,
  saveCookie,
  deleteCookie,
  store: {
    getItem: read,
    setItem: write,
    removeItem: (key) => localStorage.removeItem(key),
    ttl(key, payload, ms) {
      if (ms !== +ms) throw new Error("milliseconds must be a number!");
      write(key, payload, new Date(Date.now() + ms));
    },
    removeExpiredItems: () =>
      Object.keys(localStorage).forEach((k) => localStorage.getItem(k)?.includes('"PATHFORA"') && read(k)),
  },
  generateUniqueId: () =>
    "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".replace(/x/g, () => ((Math.random() * 16) | 0).toString(16)),
  escapeURI: (text, o = {}) =>
    text.replace(UNSAFE, (c) =>
      c.length > 1
        ? (o.keepEscaped ? "%" : "%25") + c.slice(1)
        : o.usePlus && c == " "
          ? "+"
          : "%" + (c.charCodeAt(0) < 16 ? "0" : "") + c.charCodeAt(0).toString(16).toUpperCase(),
    ),
  constructQueries: (params) =>
    Object.keys(params)
      .map(
        (k, i) =>
          (i ? "&" : "?") +
          (params[k] instanceof Object
            ? Object.values(params[k] as object)
                .map((v) => k + "[]=" + v)
                .join("&")
            : k + "=" + params[k]),
      )
      .join(""),
  updateObject: merge,
};
