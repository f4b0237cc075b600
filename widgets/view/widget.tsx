/**
 * One widget's content, for every type and layout, in Pathfora's markup
 * (its templates' elements, nesting and class names). Modals (and site
 * gates) are ARIA dialogs labelled by their headline; other layouts are
 * labelled regions (set on the root by lifecycle). Actions track, count
 * (hideAfterAction) and run callbacks as Pathfora does.
 */
import type { FieldValue } from "../../types/wire";
import type { FormDatum, ResolvedWidget, WidgetAction } from "../../types/widgets";
import { P } from "../env";
import { rich } from "../sanitize";
import { bump, write } from "../store";
import { later } from "../timer";
import { track } from "../track";
import { call, fnOf, safeUrl } from "../util";
import { ContentUnit } from "./content-unit";
import { jsx } from "preact/jsx-runtime";
import type { Form } from "./form";

/** What changes while a widget is open: the fields' problems. */
export interface WidgetView {
  errors?: Record<string, string | undefined>;
}

/** Props of {@link Widget}. */
export interface WidgetProps {
  w: ResolvedWidget;
  /** The element the widget renders into (id = widget id). */
  root: HTMLElement;
  /** Closes a widget by id (lifecycle). */
  close(id: string, noTrack?: boolean): void;
  view: WidgetView;
  /** Changes the view and renders again. */
  update(change: WidgetView): void;
}

const STORE_KEY: Record<string, string> = { close: "Closed_", cancel: "Cancel_", confirm: "Confirm_" };
const EVENT: Record<string, string> = { close: "modalClosed", cancel: "modalCancel", confirm: "modalConfirm" };

/** The widget body. */
export function Widget({ w, root, close, view, update }: WidgetProps) {
  // The form chunk is loaded before a form-type widget opens (lifecycle).
  const Form$ = window.pathfora!._Form as unknown as typeof Form;
  const { id, layout, type } = w;
  const dialog = layout == "modal";
  const gate = type == "sitegate";
  const hid = id + "-h";
  const mid = id + "-m";
  /** What names the widget: its headline, else its message (bars show no headline). */
  const labelled = w.headline && layout != "bar" ? hid : mid;
  const payload = (event?: Event, data?: FormDatum[]) => ({ widget: root, config: w, event, data });
  const hover = (kind: string) => () => track("hover", w, { "pf-widget-action": kind });

  /** Shows the success or error state (when configured) and closes after its delay. */
  const finish = (ok: boolean): void => {
    const p = ok ? "success" : "error";
    if (!w.formStates) return;
    root.classList.add(p);
    root.querySelector<HTMLElement>("." + p + "-state")?.focus();
    const delay = w.formStates[p]?.delay ?? 3;
    if (delay > 0) later(id, delay, () => close(id, true));
  };

  /** confirm, cancel, close and the buttons of form states (`success.confirm`, ...). */
  const act = (kind: string, e?: Event, data?: FormDatum[]): void => {
    const [a, b] = kind.split(".") as [string, string?];
    const key = b || a;
    const main = kind == "confirm";
    const action =
      ((b ? w.formStates?.[a as "success"] : w) as Record<string, WidgetAction | undefined> | undefined)?.[
        key + "Action"
      ] || {};
    track(kind, w, {
      "pf-widget-action": action.name || (b ? a + " " + b : main || key == "cancel" ? "default " + key : key),
    });
    bump(P + STORE_KEY[key] + id);
    if (main && layout == "button") call(w.onClick, "buttonClicked", payload(e));
    if (main && action.waitForAsyncResponse && fnOf(action.callback)) {
      call(action.callback, "modalConfirm", payload(e, data), finish);
      return;
    }
    call(action.callback, EVENT[key] as "modalConfirm", payload(e, data));
    if (action.close === false) return;
    if (main && (layout == "inline" || w.formStates?.success)) finish(true);
    else if (key == "close" || layout != "inline") {
      close(id, true);
      call(w.onModalClose, "modalClosed", payload(e));
    }
  };

  const submitted = (e: Event, fields: Record<string, FieldValue>, data: FormDatum[]): void => {
    track(type == "form" ? "submit" : gate ? "unlock" : "subscribe", w, fields);
    if (gate) write(P + "Unlocked_" + id, true);
    call(w.onSubmit, "formSubmitted", payload(e, data));
    act("confirm", e, data);
  };

  /** A button; `submit` ones submit the form (whose handler confirms). */
  const btn = (label: string | undefined, kind: string, submit?: boolean) => (
    <button
      type={submit ? "submit" : "button"}
      class={"pf-widget-btn pf-widget-" + (/cancel/.test(kind) ? "cancel" : "ok")}
      onMouseEnter={hover(kind)}
      onClick={submit ? undefined : (e) => act(kind, e)}
    >
      {rich(label)}
    </button>
  );

  if (layout == "button")
    return (
      <button
        type="button"
        class="pf-widget-message pf-widget-ok"
        onMouseEnter={hover("confirm")}
        onClick={(e) => act("confirm", e)}
      >
        {rich(w.msg || w.okMessage)}
      </button>
    );

  const boxed = dialog || layout == "inline";
  const ok = w.okShow && btn(w.okMessage, "confirm", type != "message");
  const cancel = w.cancelShow && layout != "inline" && btn(w.cancelMessage, "cancel");
  const src = safeUrl(w.image);
  const img = src && <img class="pf-widget-img" src={src} alt="" />;
  // Pathfora's markup keeps the headline element; when empty it is aria-hidden.
  const head = jsx("h2", {
    class: "pf-widget-headline",
    id: hid,
    "aria-hidden": w.headline ? undefined : "true",
    children: rich(w.headline),
  });
  const message = (
    <p class="pf-widget-message" id={mid}>
      {rich(w.msg)}
    </p>
  );
  const actions =
    type == "message" ? (
      layout == "bar" ? (
        <span>
          {ok}
          {cancel}
        </span>
      ) : (
        <>
          <ContentUnit
            w={w}
            onMouseEnter={hover("content recommendation")}
            onClick={() => (
              track("confirm", w, { "pf-widget-action": "content recommendation" }), bump(P + "Confirm_" + id)
            )}
          />
          {ok}
          {cancel}
        </>
      )
    ) : (
      <Form$
        w={w}
        onValid={submitted}
        ok={ok}
        cancel={cancel}
        errors={view.errors || {}}
        setErrors={(errors) => update({ errors })}
      />
    );
  const footer = layout != "inline" && <div class="pf-widget-footer">{rich(w.footerText)}</div>;
  /** Pathfora's success and error states, shown by the `success`/`error` class of the root. */
  const state = (p: "success" | "error", s = w.formStates?.[p]) =>
    s &&
    type != "message" && (
      <div class={p + "-state"} tabIndex={-1}>
        <h2 class="pf-widget-headline">{rich(s.headline || (p == "success" ? "Thank You" : "Error"))}</h2>
        <div class="pf-widget-message">
          {rich(
            s.msg ||
              (p == "success"
                ? "We have received your submission."
                : "There was an error receiving with your submission."),
          )}
        </div>
        {s.okShow && btn(s.okMessage || "Confirm", p + ".confirm")}
        {s.cancelShow && btn(s.cancelMessage || "Cancel", p + ".cancel")}
      </div>
    );
  const closer = layout != "inline" && !gate && (
    <button
      type="button"
      class="pf-widget-close"
      aria-label="Close"
      onMouseEnter={hover("close")}
      onClick={(e) => act("close", e)}
    >
      ×
    </button>
  );

  if (layout == "bar")
    return (
      <>
        <div class="pf-widget-body">{img}</div>
        {closer}
        <div class="pf-bar-content">
          {message}
          {actions}
        </div>
      </>
    );

  if (!boxed)
    return (
      <>
        {closer}
        <div class="pf-widget-body">{img}</div>
        <div class="pf-widget-content">
          {head}
          {message}
          {actions}
          {footer}
          {state("success")}
          {state("error")}
        </div>
      </>
    );

  return (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: the role is "dialog" whenever aria-modal is set
    <div
      class="pf-widget-container"
      role={dialog ? "dialog" : undefined}
      aria-modal={dialog ? "true" : undefined}
      aria-labelledby={dialog ? labelled : undefined}
      aria-describedby={dialog ? mid : undefined}
    >
      <div class="pf-va-middle">
        <div class="pf-widget-content">
          {closer}
          <div class="pf-widget-text">
            {head}
            <div class="pf-widget-body">
              <div class="pf-va-middle">
                {message}
                {actions}
                {footer}
              </div>
            </div>
          </div>
          {state("success")}
          {state("error")}
          {img}
        </div>
      </div>
    </div>
  );
}
