/**
 * Form of form, subscription and site gate widgets: fields with labels or
 * accessible names, validation messages tied to their fields
 * (`aria-invalid`, `aria-describedby`), focus and start tracking.
 */
import type { ComponentChildren } from "preact";
import type { FieldValue } from "../../types/wire";
import type { FormDatum, FormElement, ResolvedWidget } from "../../types/widgets";
import { rich } from "../sanitize";
import { track } from "../track";
import { dateLimit, fieldsOf, problem } from "./fields";

/** Props of {@link Form}. */
export interface FormProps {
  w: ResolvedWidget;
  /** Called with the tracked fields (`pf-form-<name>`) and the raw values of a valid submission. */
  onValid(e: Event, fields: Record<string, FieldValue>, data: FormDatum[]): void;
  /** The buttons. */
  children: ComponentChildren;
  /** Problems found by the last submission, by field name. */
  errors: Record<string, string | undefined>;
  setErrors(errors: Record<string, string | undefined>): void;
}

/** The form of a widget; validates on submit. */
export function Form({ w, onValid, children, errors, setErrors }: FormProps) {
  const defs = fieldsOf(w);
  const named = (e: Event): string => (e.target as HTMLInputElement).name;

  const submit = (e: Event): void => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const fd = new FormData(form);
    const errs: Record<string, string | undefined> = {};
    const fields: Record<string, FieldValue> = {};
    const data: FormDatum[] = [];
    for (const f of defs) {
      const values = fd.getAll(f.name).map(String).filter(Boolean);
      errs[f.name] = problem(f, values);
      fields["pf-form-" + f.name] = f.type == "checkbox-group" ? values : values[0] || "";
      values.forEach((value) => data.push({ name: f.name, value }));
    }
    setErrors(errs);
    const bad = defs.find((f) => errs[f.name]);
    if (bad) return void ([...form.elements] as HTMLInputElement[]).find((el) => el.name == bad.name)?.focus();
    if (w.identify !== false && fields["pf-form-email"]) fields.email = fields["pf-form-email"];
    onValid(e, fields, data);
  };

  return (
    <form
      noValidate
      class={w.formElements?.length ? "pf-custom-form" : undefined}
      onSubmit={submit}
      onFocusIn={(e) => named(e) && track("focus", w, { "pf-widget-action": named(e) })}
      onChange={(e) => (e.target as HTMLInputElement).value && track("form_start", w, { "pf-widget-action": named(e) })}
    >
      {defs.map((f) => (
        <Field f={f} id={w.id + "-" + f.name} err={errors[f.name]} />
      ))}
      {children}
    </form>
  );
}

function Field({ f, id, err }: { f: FormElement; id: string; err?: string }) {
  const t = f.type;
  const kind = t.split("-")[0] as "checkbox" | "radio";
  const group = t.endsWith("-group");
  const label = f.label;
  const name = label ? undefined : f.placeholder || f.name;
  const invalid = { "aria-invalid": err ? ("true" as const) : undefined, "aria-describedby": err && id + "-e" };
  const common = {
    id,
    name: f.name,
    required: f.required,
    placeholder: f.placeholder,
    "aria-label": name,
    class: label && "pf-has-label",
    ...invalid,
  };
  const options = f.values?.map((v) =>
    group ? (
      <label class={"pf-widget-" + kind}>
        <input type={kind} name={f.name} value={v.value} />
        {v.label}
      </label>
    ) : (
      <option value={v.value}>{v.label}</option>
    ),
  );
  return (
    <div
      class={[
        group && "pf-widget-" + t,
        f.required && "pf-form-required",
        err && (err == "required" ? "invalid" : "bad-validation"),
      ]
        .filter(Boolean)
        .join(" ")}
    >
      {label &&
        (group ? (
          <span class="pf-form-label" id={id + "-l"}>
            {rich(label)}
            {f.required && <span class="required"> *</span>}
          </span>
        ) : (
          <label class="pf-form-label" for={id}>
            {rich(label)}
            {f.required && <span class="required"> *</span>}
          </label>
        ))}
      {group ? (
        // biome-ignore lint/a11y/useAriaPropsSupportedByRole: aria-invalid marks a group whose choice is required
        <div
          id={id}
          role={kind == "radio" ? "radiogroup" : "group"}
          aria-labelledby={label && id + "-l"}
          aria-label={name}
          {...invalid}
        >
          {options}
        </div>
      ) : t == "textarea" ? (
        <textarea rows={5} {...common} />
      ) : t == "select" ? (
        <select {...common}>
          {f.placeholder != null && <option value="">{f.placeholder}</option>}
          {options}
        </select>
      ) : (
        <input
          type={(t == "email" || t == "date" ? t : "text") as "text"}
          min={dateLimit(f.minDate)}
          max={dateLimit(f.maxDate)}
          {...common}
        />
      )}
      {err && (
        <div class={err == "required" ? "pf-required-flag" : "pf-invalid-flag"} id={id + "-e"}>
          {err}
        </div>
      )}
    </div>
  );
}
