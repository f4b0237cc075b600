/**
 * The only way configuration, profile or recommendation text becomes
 * markup: parsed in an inert document and rebuilt as virtual nodes from an
 * allow-list (b, i, em, strong, br, p, span, and a with an http(s) href).
 * Everything else keeps only its text; script and style are dropped.
 */
import type { ComponentChildren } from "preact";
import { jsx } from "preact/jsx-runtime";
import { safeUrl } from "./util";

const ALLOWED = /^(b|i|em|strong|br|p|span|a)$/;

function nodes(parent: Node): ComponentChildren[] {
  return [...parent.childNodes].map((n): ComponentChildren => {
    if (n.nodeType == 3) return n.nodeValue;
    if (n.nodeType != 1) return null;
    const el = n as Element;
    const tag = el.localName;
    if (!ALLOWED.test(tag)) return /^(script|style)$/.test(tag) ? null : nodes(el);
    const href = tag == "a" ? safeUrl(el.getAttribute("href")) : undefined;
    return jsx(tag as "a", {
      href,
      target: href && el.getAttribute("target") == "_blank" ? "_blank" : undefined,
      rel: href && "noopener",
      children: nodes(el),
    });
  });
}

/** Simple formatted text as virtual nodes; plain text stays a string. */
export const rich = (s: string | undefined): ComponentChildren =>
  s && /[<&]/.test(s) ? nodes(new DOMParser().parseFromString(s, "text/html").body) : s;
