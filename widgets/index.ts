/**
 * Entry of `pathfora.min.js`: installs `window.pathfora` (Pathfora 1.2
 * compatible), loads the stylesheet next to this script (or
 * `window.PathforaCSS`), counts the page view and processes inline
 * personalization. Settings assigned to `window.pathfora` before the
 * script loads (e.g. `enableStringCallbacks`, `locale`) are kept.
 */
import type { PathforaApi } from "../types/widgets";
import { ABTest, initializeABTesting } from "./abtest";
import { countPageView } from "./conditions";
import { whenEntity } from "./env";
import { watchInline } from "./inline";
import { clearAll, clearById, closeWidget, showWidget } from "./lifecycle";
import { recommend } from "./recommend";
import { initializeWidgets, prepare, resetDefaults } from "./registry";
import { rules } from "./rules";
import { evaluate, triggered } from "./watch";

const pre = window.pathfora;

if (!pre?.initializeWidgets) {
  const pf: PathforaApi = Object.assign(
    {
      version: "1.2.20-pathlight",
      locale: "en-US",
      dateOptions: {},
      customData: {},
      callbacks: [],
      initializeWidgets,
      Message: prepare("message"),
      Form: prepare("form"),
      Subscription: prepare("subscription"),
      SiteGate: prepare("sitegate"),
      ABTest,
      initializeABTesting,
      triggerWidgets(ids?: string[]) {
        for (const id of ids || ["*"]) triggered[id] = true;
        evaluate();
      },
      showWidget,
      closeWidget,
      clearAll() {
        clearAll();
        resetDefaults();
        pf.callbacks = [];
      },
      clearById,
      addCallback(cb) {
        pf.callbacks.push(cb);
        whenEntity(cb);
      },
      recommendContent(_account, params, _id, cb) {
        void recommend(params).then(cb);
      },
      rules,
    } satisfies PathforaApi,
    pre,
  );
  window.pathfora = pf;

  const d = document;
  const script = d.currentScript as HTMLScriptElement | null;
  const css = window.PathforaCSS || (script?.src && new URL("pathfora.min.css", script.src).href);
  if (css) d.head.appendChild(Object.assign(d.createElement("link"), { rel: "stylesheet", href: css }));
  // Hide inline variants until processed (also in the stylesheet): a
  // constructed sheet is CSSOM, so a strict style-src allows it.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync("[data-pftrigger],[data-pfrecommend]{display:none}");
    d.adoptedStyleSheets = [...d.adoptedStyleSheets, sheet];
  } catch {}
  countPageView();
  d.readyState == "loading" ? d.addEventListener("DOMContentLoaded", watchInline) : watchInline();
}
