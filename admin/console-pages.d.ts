/**
 * Generated at build time by admin/build.mjs: one loader per page folder
 * (`admin/pages/<name>/index.tsx`), each a dynamic `import()` so the page's
 * code is a separate chunk fetched when the page is first opened.
 */
declare module "virtual:console-pages" {
  /** Page name → loader of the page module (whose default export is the page component). */
  export const loaders: Record<string, () => Promise<{ default: unknown }>>;
}
