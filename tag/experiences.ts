/**
 * The experience loader (a few hundred bytes of the tag): when the served
 * tag says the account has published experiences (`config.experiences`,
 * baked in by the worker) and the site did not turn it off
 * (`jstag.config.pathfora: false`), it adds, in order, Pathfora's CSS and
 * `/static/pathfora.min.js` (unless the page already has
 * `window.pathfora`), the experience runtime `/static/experiences.min.js`
 * (`experience-runtime.ts`) and the account's `config.js`. Scripts added
 * with `async = false` run in the order they were added. Widget bytes
 * never ride in the tag.
 */
export function loadExperiences(base: string, cid: string): void {
  const d = document;
  const add = (name: string, attrs: object) =>
    d.head.appendChild(Object.assign(d.createElement(name), { async: false }, attrs));
  if (!(window as { pathfora?: unknown }).pathfora) {
    add("link", { rel: "stylesheet", href: `${base}/static/pathfora.min.css` });
    add("script", { src: `${base}/static/pathfora.min.js` });
  }
  add("script", { src: `${base}/static/experiences.min.js` });
  add("script", { src: `${base}/api/experience/candidate/${cid}/config.js` });
}
