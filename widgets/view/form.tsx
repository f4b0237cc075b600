/**
 * Form of form, subscription and site gate widgets, in Pathfora's markup:
 * built-in fields are direct children of the form (`data-required`,
 * `data-validate`, `invalid`/`bad-validation` on the field itself);
 * `formElements` fields sit in wrappers with labels, required markers and
 * the `pf-required-flag`/`pf-invalid-flag` notes, the markers going on the
 * wrapper. Invalid fields also get `aria-invalid` (and are described by
 * their note); the first one takes focus. Focus and start are tracked.
 */
import type { ComponentChildren } from "preact";
import type { FieldValue } from "../../types/wire";
import type { FormDatum, ResolvedWidget } from "../../types/widgets";
import { rich } from "../sanitize";
import { track } from "../track";
import { countries, dateLimit, type Field, fieldsOf, problem } from "./fields";

/** Props of {@link Form}. */
export interface FormProps {
  w: ResolvedWidget;
  /** Called with the tracked fields (`pf-form-<name>` or `pf-custom-form`) and the submitted values of a valid form. */
  onValid(e: Event, fields: Record<string, FieldValue>, data: FormDatum[]): void;
  ok: ComponentChildren;
  cancel: ComponentChildren;
  /** Problems found by the last submission, by field name. */
  errors: Record<string, string | undefined>;
  setErrors(errors: Record<string, string | undefined>): void;
}

/** The form of a widget; validates on submit. */
export function Form({ w, onValid, ok, cancel, errors, setErrors }: FormProps) {
  const defs = fieldsOf(w);
  const sub = w.type == "subscription";
  const custom = !sub && !!w.formElements?.length;
  const named = (e: Event): string => (e.target as HTMLInputElement).name;

  const submit = (e: Event): void => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const fd = new FormData(form);
    const errs: Record<string, string | undefined> = {};
    const fields: Record<string, FieldValue> = {};
    const cf: Record<string, FieldValue> = {};
    const data: FormDatum[] = [];
    for (const f of defs) {
      const values = fd.getAll(f.name).map(String);
      errs[f.name] = problem(f, values.filter(Boolean));
      if (f.type.endsWith("group")) values.length && (cf[f.name] = values);
      else (custom ? cf : fields)[(custom ? "" : "pf-form-") + f.name] = values[0] ?? "";
      values.forEach((value) => data.push({ name: f.name, value }));
    }
    setErrors(errs);
    const bad = defs.find((f) => errs[f.name]);
    if (bad) return void ([...form.elements] as HTMLInputElement[]).find((el) => el.name == bad.name)?.focus();
    if (custom) fields["pf-custom-form"] = cf;
    if (w.identify && fields["pf-form-email"]) fields.email = fields["pf-form-email"];
    onValid(e, fields, data);
  };

  const field = (f: Field) => <Control f={f} id={w.id + "-" + f.name} err={errors[f.name]} custom={custom} />;
  return (
    <form
      noValidate
      class={custom ? "pf-custom-form" : undefined}
      onSubmit={submit}
      onFocusIn={(e) => named(e) && track("focus", w, { "pf-widget-action": named(e) })}
      onChange={(e) => (e.target as HTMLInputElement).value && track("form_start", w, { "pf-widget-action": named(e) })}
    >
      {sub ? (
        <>
          {ok}
          <span>{field(defs[0]!)}</span>
        </>
      ) : (
        <>
          {defs.map(field)}
          {ok}
          {cancel}
        </>
      )}
    </form>
  );
}

function Control({ f, id, err, custom }: { f: Field; id: string; err?: string; custom: boolean }) {
  const t = f.type;
  const kind = t.split("-")[0] as "checkbox" | "radio";
  const group = t.endsWith("-group");
  const label = custom && f.label;
  const checked = t == "email" || t == "date";
  const validate = checked || !!f.pattern || t == "us-postal-code";
  const mark = err && (err == "required" ? "invalid" : "bad-validation");
  const note = label && (err == "required" ? f.required && id + "-r" : err && checked && id + "-i");
  const attrs = {
    id,
    class: [label && "pf-has-label", f.cls, !custom && mark].filter(Boolean).join(" ") || undefined,
    "data-required": f.required ? "true" : undefined,
    "data-validate": validate ? "true" : undefined,
    "aria-label": label ? undefined : f.placeholder || f.name,
    "aria-invalid": err ? ("true" as const) : undefined,
    "aria-describedby": note || undefined,
  };
  const input = { ...attrs, name: f.name, placeholder: f.placeholder };
  const control = group ? (
    // biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-invalid marks a group whose choice is required
    <div {...attrs} role={kind == "radio" ? "radiogroup" : "group"} aria-labelledby={label ? id + "-l" : undefined}>
      {f.values?.map((v) => (
        <label class={"pf-widget-" + kind}>
          <input type={kind} name={f.name} value={v.value} />
          {v.label}
        </label>
      ))}
    </div>
  ) : t == "textarea" ? (
    <textarea rows={5} {...input} />
  ) : t == "select" ? (
    <select {...attrs} name={f.name}>
      {f.placeholder != null && <option value="">{f.placeholder}</option>}
      {(f.name == "country" && !custom ? countries() : f.values || []).map((v) => (
        <option value={v.value}>{v.label}</option>
      ))}
    </select>
  ) : (
    <input type={(checked ? t : "text") as "text"} min={dateLimit(f.minDate)} max={dateLimit(f.maxDate)} {...input} />
  );
  if (!custom) return control;
  const req = f.required && (
    <>
      {" "}
      <span class="required">*</span>
    </>
  );
  return (
    <div
      class={
        [
          group && "pf-widget-" + t,
          (f.required || checked) && "pf-form-required",
          (f.pattern || t == "us-postal-code") && "pf-form-required-validation",
          mark,
        ]
          .filter(Boolean)
          .join(" ") || undefined
      }
    >
      {label &&
        (group ? (
          <span class="pf-form-label" id={id + "-l"}>
            {rich(label)}
            {req}
          </span>
        ) : (
          <label class="pf-form-label" for={id}>
            {rich(label)}
            {req}
          </label>
        ))}
      {label && f.required && (
        <div class="pf-required-flag" id={id + "-r"}>
          required
          <span />
        </div>
      )}
      {label && checked && (
        <div class="pf-invalid-flag" id={id + "-i"}>
          invalid
          <span />
        </div>
      )}
      {control}
    </div>
  );
}
