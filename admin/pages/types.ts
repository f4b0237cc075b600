import type { Session } from "../api";

/** A token's role as the console sees it (mirrors the edge's roles). */
export type ConsoleRole = "admin" | "data_manager" | "reader";

/**
 * What the console shell hands every page. Each page lives in
 * `admin/pages/<name>/index.tsx` and default-exports a component taking
 * these props; the shell loads it on demand (`import()`), so a page's code
 * costs nothing until it is opened.
 */
export interface PageProps {
  /** The signed-in token and account. */
  session: Session;
  /** The signed-in token's role: pages hide what it cannot do. */
  role: ConsoleRole;
  /** Hash path segments after the page name: `#experiences/abc/report` gives `["abc", "report"]`. */
  path: string[];
}
