/**
 * `types/widgets.ts` describes Pathfora configurations, which the edge stores
 * and serves (experiences), and also the callbacks the browser runs with them,
 * which name the DOM's `HTMLElement`. The worker compiles without the DOM
 * library, so here that type is opaque: the edge never touches an element.
 */
interface HTMLElement {
  readonly __browserOnly: never;
}
