/** The fields a form-type widget asks for: custom `formElements` or Pathfora's built-in set. */
import type { FormElement, ResolvedWidget } from "../../types/widgets";

/** A field to render: a `formElements` entry, or a built-in field with Pathfora's `pf-field-half-width` pairing. */
export interface Field extends FormElement {
  /** Classes of a built-in field (`pf-field-half-width`, `right`). */
  cls?: string;
}

const BUILTIN = ["name", "email", "title", "company", "phone", "country", "referralEmail", "message"];
const HALF = /^(title|company|phone|country|referralEmail)$/;

/** Pathfora's default placeholder of a built-in field: "Name", "Referral Email", ... */
const placeholder = (f: string): string =>
  f == "phone" ? "Phone Number" : f[0]!.toUpperCase() + f.slice(1).replace(/[A-Z]/g, " $&");

/**
 * Fields of `w`'s form, in order. Built-in fields follow Pathfora: shown
 * unless `fields` hides them (form: company, phone, country and
 * referralEmail hidden; site gate: message, phone, country, referralEmail),
 * required per `required`, half-width fields paired two by two (the second
 * of a pair gets `right`, a lone one is full width).
 */
export function fieldsOf(w: ResolvedWidget): Field[] {
  const ph = (f: string) => w.placeholders?.[f] ?? placeholder(f);
  if (w.type == "subscription") return [{ type: "email", name: "email", placeholder: ph("email"), required: true }];
  if (w.formElements?.length) return w.formElements;
  if (w.showForm === false) return [];
  const hidden =
    w.type == "form" ? /^(company|phone|country|referralEmail)$/ : /^(message|phone|country|referralEmail)$/;
  const list: Field[] = BUILTIN.filter((f) => w.fields?.[f] ?? !hidden.test(f)).map((f) => ({
    type: f == "email" ? "email" : f == "message" ? "textarea" : f == "country" ? "select" : "text",
    name: f == "name" ? "username" : f,
    placeholder: ph(f),
    required: w.required?.[f] ?? /^(name|email)$/.test(f),
    cls: HALF.test(f) ? "pf-field-half-width" : undefined,
  }));
  let n = 0;
  list.forEach((f, i) => {
    if (!f.cls) return;
    const odd = n++ % 2;
    if (odd) f.cls += " right";
    if (odd ? !list[i - 1]?.cls?.includes("half") : !list[i + 1]?.cls) f.cls = f.cls.replace("pf-field-half-width", "");
  });
  return list;
}

/** Countries for the built-in `country` field: ISO codes named in the page's language. */
export const countries = (): { label: string; value: string }[] => {
  const out: { label: string; value: string }[] = [];
  try {
    const names = new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "region", fallback: "none" });
    for (let i = 0; i < 676; i++) {
      const code = String.fromCharCode(65 + i / 26, 65 + (i % 26));
      // not a country: retired, reserved or grouping codes
      const label =
        !/^(A[CN]|BU|C[PQS]|D[DGY]|E[AUZ]|FX|HV|IC|NH|QO|RH|SU|T[AP]|U[KN]|VD|X[AB]|Y[DU]|Z[RZ])$/.test(code) &&
        names.of(code);
      if (label && label != code) out.push({ label, value: code });
    }
  } catch {}
  return out.sort((a, b) => a.label.localeCompare(b.label));
};

/** A `minDate`/`maxDate` setting as `yyyy-mm-dd` (`today` is local). */
export const dateLimit = (s?: string): string | undefined =>
  s == "today"
    ? new Date(Date.now() - new Date().getTimezoneOffset() * 6e4).toISOString().slice(0, 10)
    : s?.replace(/^(\d\d)-(\d\d)-(\d{4})$/, "$3-$1-$2");

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/**
 * `required` (Pathfora's `invalid` marker), `invalid` (its `bad-validation`
 * marker) or nothing, for the values of one field.
 */
export function problem(f: FormElement, values: string[]): string | undefined {
  const v = values[0];
  const pattern = f.pattern || (f.type == "us-postal-code" ? "^[0-9]{5}$" : "");
  const min = dateLimit(f.minDate);
  const max = dateLimit(f.maxDate);
  return !v
    ? f.required
      ? "required"
      : undefined
    : (f.type == "email" && !EMAIL.test(v)) ||
        (pattern && !new RegExp(pattern).test(v)) ||
        (f.type == "date" && ((min && v < min) || (max && v > max)))
      ? "invalid"
      : undefined;
}
