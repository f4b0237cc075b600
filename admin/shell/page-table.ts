import type { ConsoleRole } from "../pages/types";

/** A page in the console's navigation. */
export interface PageEntry {
  /** Folder name under admin/pages/ and first hash segment. */
  name: string;
  /** Label in the navigation. */
  label: string;
  /** Roles that see the page in the navigation (all when absent). */
  roles?: readonly ConsoleRole[];
}

/**
 * The navigation, in order. A page appears only once its code exists
 * (admin/pages/<name>/index.tsx, or a first-console view standing in);
 * a page folder not listed here is added after these, labelled by its name.
 */
export const PAGE_TABLE: readonly PageEntry[] = [
  { name: "experiences", label: "Experiences" },
  { name: "audiences", label: "Audiences" },
  { name: "people", label: "People" },
  { name: "webhooks", label: "Webhooks" },
  { name: "content", label: "Content" },
  { name: "settings", label: "Settings" },
  { name: "docs", label: "API reference" },
];

/** The pages that exist (`available` names), in navigation order. */
export function navigation(available: readonly string[], role: ConsoleRole): PageEntry[] {
  const known = PAGE_TABLE.filter((p) => available.includes(p.name));
  const extra: PageEntry[] = available
    .filter((name) => !PAGE_TABLE.some((p) => p.name === name))
    .map((name) => ({ name, label: name[0]!.toUpperCase() + name.slice(1) }));
  return [...known, ...extra].filter((p) => !p.roles || p.roles.includes(role));
}
