import type { ComponentChildren } from "preact";

/** A titled block of a page: a `<section>` named by its heading. */
export function Card({ title, children }: { title: string; children: ComponentChildren }) {
  const id = `card-${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}
