/**
 * Entry of `pathfora.min.js`: installs `window.pathfora` (Pathfora 1.2
 * compatible), loads the stylesheet next to this script (or
 * `window.PathforaCSS`), counts the page view and processes inline
 * personalization. Settings assigned to `window.pathfora` before the
 * script loads (e.g. `enableStringCallbacks`, `locale`) are kept.
 */
import { Fragment, jsx, jsxs } from "preact/jsx-runtime";
import type { PathforaApi } from "../types/widgets";
import { ABTest, initializeABTesting } from "./abtest";
import { countPageView } from "./conditions";
import { base, whenEntity } from "./env";
import { personalize, recommend } from "./content";
import { clearAll, clearById, closeWidget, showWidget } from "./lifecycle";
import { dependencies, dependenciesOf, initializeWidgets, prepare, resetDefaults } from "./registry";
import { rules } from "./rules";
import { data, resetData } from "./track";
import { utils } from "./utils";
import { evaluate, triggered } from "./watch";

const pre = window.pathfora;

if (!pre?.initializeWidgets) {
  const pf: PathforaApi = Object.assign(
    {
      version: "1.2.20-pathlight",
      _jsx: { jsx, jsxs, Fragment },
      acctid: "",
      enableGA: false,
      utils,
      inline: {
        elements: [],
        procElements: () => void personalize().then(() => pf._scan?.()),
      },
      getDataObject: () => data,
      getWidgetDependencies: (widgets) => (widgets ? dependenciesOf(widgets) : dependencies),
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
        resetData();
        for (const k in dependencies) delete dependencies[k];
        pf.callbacks = [];
        pf.acctid = "";
      },
      clearById(ids) {
        Array.isArray(ids) ? clearById(ids) : console.warn("clearById: widgetIds must be an array");
      },
      addCallback(cb) {
        pf.callbacks.push(cb);
        whenEntity(cb);
      },
      recommendContent(account, params, _id, cb) {
        typeof cb == "function"
          ? void recommend(params, account).then(cb)
          : console.warn("Could not make recommendation - missing callback function.");
      },
      rules,
    } satisfies PathforaApi,
    pre,
  );
  window.pathfora = pf;

  const d = document;
  const css = window.PathforaCSS || new URL("pathfora.min.css", base).href;
  if (css) d.head.appendChild(Object.assign(d.createElement("link"), { rel: "stylesheet", href: css }));
  // Hide inline variants until processed (also in the stylesheet): a
  // constructed sheet is CSSOM, so a strict style-src allows it.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync("[data-pftrigger],[data-pfrecommend]{display:none}");
    d.adoptedStyleSheets = [...d.adoptedStyleSheets, sheet];
  } catch {}
  resetData();
  data.pageViews = countPageView();
  utils.store.removeExpiredItems();
  // Inline personalization: when the page (or an SPA view) has elements to process.
  const scan = (): unknown =>
    d.querySelector("[data-pftrigger]:not([data-pfmodified]),[data-pfrecommend]:not([data-pfmodified])") &&
    pf.inline.procElements();
  const push = history.pushState;
  history.pushState = function (...args: Parameters<History["pushState"]>) {
    push.apply(this, args);
    setTimeout(scan);
  };
  addEventListener("popstate", () => setTimeout(scan));
  d.readyState == "loading" ? d.addEventListener("DOMContentLoaded", scan) : scan();
}
