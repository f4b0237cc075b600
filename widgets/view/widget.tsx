/**
 * One widget's content, for every type and layout, with Pathfora's pf-*
 * class names. Modals (and site gates) are ARIA dialogs labelled by their
 * headline; other layouts are labelled regions. Actions track, count
 * (hideAfterAction) and run callbacks as Pathfora does.
 */
import type { FieldValue } from "../../types/wire";
import type { FormDatum, FormState, ResolvedWidget, WidgetAction } from "../../types/widgets";
import { P } from "../env";
import { rich } from "../sanitize";
import { bump, write } from "../store";
import { later } from "../timer";
import { track } from "../track";
import { call, fnOf, safeUrl } from "../util";
import { ContentUnit } from "./content-unit";
import { Form } from "./form";

/** What changes while a widget is open: the form state shown and the fields' problems. */
export interface WidgetView {
  phase?: "success" | "error";
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
  const { phase } = view;
  const { id, layout, type } = w;
  const dialog = layout == "modal";
  const gate = type == "sitegate";
  const hid = id + "-h";
  const mid = id + "-m";
  const payload = (event?: Event, data?: FormDatum[]) => ({ widget: root, config: w, event, data });
  const hover = (kind: string) => () => track("hover", w, { "pf-widget-action": kind });

  /** Shows the success or error state (when configured) and closes after its delay. */
  const finish = (ok: boolean): void => {
    const p = ok ? "success" : "error";
    if (!w.formStates) return;
    update({ phase: p });
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

  /** A button; without `kind` it submits the form (whose handler confirms). */
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
        {rich(w.msg)}
      </button>
    );

  const state: FormState | undefined = phase ? w.formStates?.[phase] || {} : undefined;
  const success = phase == "success";
  const cancel = w.cancelShow && layout != "inline" && btn(w.cancelMessage, "cancel");
  const img = w.variant == "2" && safeUrl(w.image);
  const labelled = (state || w.headline) && layout != "bar" ? hid : mid;

  const body = state ? (
    <div class={phase + "-state"} tabIndex={-1}>
      <h2 class="pf-widget-headline" id={hid}>
        {rich(state.headline || (success ? "Thank You" : "Error"))}
      </h2>
      <div class="pf-widget-message" id={mid}>
        {rich(
          state.msg ||
            (success ? "We have received your submission." : "There was an error receiving your submission."),
        )}
      </div>
      {state.okShow && btn(state.okMessage || "Confirm", phase + ".confirm")}
      {state.cancelShow && btn(state.cancelMessage || "Cancel", phase + ".cancel")}
    </div>
  ) : (
    <>
      {w.headline && layout != "bar" && (
        <h2 class="pf-widget-headline" id={hid}>
          {rich(w.headline)}
        </h2>
      )}
      <div class="pf-widget-message" id={mid}>
        {rich(w.msg)}
      </div>
      {w.variant == "3" && w.content?.[0] && (
        <ContentUnit
          w={w}
          onMouseEnter={hover("content recommendation")}
          onClick={() => (
            track("confirm", w, { "pf-widget-action": "content recommendation" }), bump(P + "Confirm_" + id)
          )}
        />
      )}
      {type == "message" ? (
        <>
          {w.okShow && btn(w.okMessage, "confirm")}
          {cancel}
        </>
      ) : (
        <Form w={w} onValid={submitted} errors={view.errors || {}} setErrors={(errors) => update({ errors })}>
          {w.okShow && btn(w.okMessage, "confirm", true)}
          {cancel}
        </Form>
      )}
      {w.footerText && <div class="pf-widget-footer">{rich(w.footerText)}</div>}
    </>
  );

  const content = (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: the label applies when the role is "region" (not a dialog)
    <div
      class={layout == "bar" ? "pf-bar-content" : "pf-widget-content"}
      role={dialog ? undefined : "region"}
      aria-labelledby={dialog ? undefined : labelled}
    >
      {layout != "inline" && !gate && (
        <button
          type="button"
          class="pf-widget-close"
          aria-label="Close"
          onMouseEnter={hover("close")}
          onClick={(e) => act("close", e)}
        >
          ×
        </button>
      )}
      {img && <img class="pf-widget-img" src={img} alt="" />}
      {body}
    </div>
  );

  return dialog ? (
    <div class="pf-widget-container" role="dialog" aria-modal="true" aria-labelledby={labelled} aria-describedby={mid}>
      {content}
    </div>
  ) : (
    content
  );
}
