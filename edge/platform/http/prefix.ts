/** Header carrying the path prefix a request came in under (set by the worker itself). */
export const PREFIX_HEADER = "x-pathlight-prefix";

/**
 * First-party mode: when the worker is routed on the site's own domain
 * under a prefix (`PATH_PREFIX`, e.g. `/px`), requests under it are served
 * as if at the root, and the prefix is remembered for URLs the worker
 * hands out (the tag's collect URL).
 */
export function stripPrefix(request: Request, prefix: string | undefined): Request {
  const forged = request.headers.has(PREFIX_HEADER);
  // The common case costs no URL parse and no header copy.
  if (!forged && (!prefix || prefix === "/")) return request;
  const url = new URL(request.url);
  const clean = new Headers(request.headers);
  clean.delete(PREFIX_HEADER);
  if (prefix && prefix !== "/" && (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) {
    url.pathname = url.pathname.slice(prefix.length) || "/";
    clean.set(PREFIX_HEADER, prefix);
  } else if (!forged) {
    return request;
  }
  return new Request(url, new Request(request, { headers: clean }));
}
