/** Hash routes of the console: `#page/sub/path`, each segment URI-encoded. */

/** Where the console is: the page name and the segments after it. */
export interface Route {
  page: string;
  path: string[];
}

/** Old page names (first console) and where they live now. */
const ALIASES: Record<string, string> = { profiles: "people", tokens: "settings" };

/** Reads a route from a hash such as `#experiences/abc/report`; `fallback` when empty. */
export function parseRoute(hash: string, fallback: string): Route {
  const parts = hash
    .replace(/^#\/?/, "")
    .split("/")
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  const page = parts.shift() ?? fallback;
  return { page: ALIASES[page] ?? page, path: parts };
}

/** The hash of a route: `href(["experiences", id, "report"])` → `#experiences/<id>/report`. */
export function href(segments: readonly string[]): string {
  return `#${segments.map(encodeURIComponent).join("/")}`;
}
