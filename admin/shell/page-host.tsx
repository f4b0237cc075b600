import type { ComponentType } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { loaders } from "virtual:console-pages";
import type { PageProps } from "../pages/types";

type Page = ComponentType<PageProps>;

/** Pages already fetched, so going back to one is instant. */
const loaded = new Map<string, Page>();

/** Fetches a page's chunk (once) and returns its component. */
async function loadPage(name: string): Promise<Page> {
  const hit = loaded.get(name);
  if (hit) return hit;
  const loader = loaders[name];
  if (!loader) throw new Error(`There is no page named “${name}”.`);
  const mod = await loader();
  if (typeof mod.default !== "function") throw new Error(`The page “${name}” has no default export.`);
  const page = mod.default as Page;
  loaded.set(name, page);
  return page;
}

/** The names of every page the build found. */
export const pageNames = (): string[] => Object.keys(loaders);

/**
 * Shows page `name`, loading its code on first use. Focus moves to the
 * page's container when the page changes, so keyboard and screen-reader
 * users land on the new content.
 */
export function PageHost({ name, props }: { name: string; props: PageProps }) {
  const [page, setPage] = useState<{ name: string; component: Page } | null>(() => {
    const hit = loaded.get(name);
    return hit ? { name, component: hit } : null;
  });
  const [error, setError] = useState<{ name: string; message: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    setError(null);
    loadPage(name).then(
      (component) => live && setPage({ name, component }),
      (e: unknown) => live && setError({ name, message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [name, attempt]);
  useEffect(() => {
    if (page?.name === name) box.current?.focus({ preventScroll: true });
  }, [page?.name, name]);
  if (error?.name === name)
    return (
      <div class="error" role="alert">
        <strong>{error.message}</strong>{" "}
        {loaders[name] && (
          <button type="button" class="secondary" onClick={() => setAttempt(attempt + 1)}>
            Try again
          </button>
        )}
      </div>
    );
  if (page?.name !== name)
    return (
      <p class="muted" role="status">
        Loading…
      </p>
    );
  const Component = page.component;
  return (
    <div ref={box} tabIndex={-1} class="page" data-page={name}>
      <Component {...props} />
    </div>
  );
}
