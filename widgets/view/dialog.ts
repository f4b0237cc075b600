/**
 * WAI-ARIA dialog behaviour for modals and site gates: Tab and Shift+Tab
 * cycle inside the dialog; Escape presses its close button (site gates
 * have none, so they stay). Initial focus and focus return are handled
 * where widgets open and close (lifecycle).
 */

/** Elements that take keyboard focus. */
export const FOCUSABLE = "a[href],button,input,select,textarea,[tabindex]:not([tabindex='-1'])";

/** Traps focus in `root`; returns the function that releases it. */
export function trapFocus(root: HTMLElement): () => void {
  const key = (e: KeyboardEvent): void => {
    if (e.key == "Escape") root.querySelector<HTMLElement>(".pf-widget-close")?.click();
    if (e.key != "Tab") return;
    const els = [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.getClientRects().length);
    const a = document.activeElement;
    if (!els.length || !root.contains(a) || a == els[e.shiftKey ? 0 : els.length - 1]) {
      e.preventDefault();
      els[e.shiftKey ? els.length - 1 : 0]?.focus();
    }
  };
  document.addEventListener("keydown", key);
  return () => document.removeEventListener("keydown", key);
}
