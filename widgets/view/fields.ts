/** The fields a form-type widget asks for: custom `formElements` or Pathfora's built-in set. */
import type { FormElement, ResolvedWidget } from "../../types/widgets";

const BUILTIN = ["name", "email", "title", "company", "phone", "country", "referralEmail", "message"];
/** Built-in fields hidden unless `fields` shows them, per type. */
const HIDDEN: Record<string, RegExp> = {
  form: /^(company|phone|country|referralEmail)$/,
  sitegate: /^(message|phone|country|referralEmail)$/,
};

/** Pathfora's default placeholder of a built-in field: "Name", "Referral Email", ... */
const placeholder = (f: string): string =>
  f == "phone" ? "Phone Number" : f[0]!.toUpperCase() + f.slice(1).replace(/[A-Z]/g, " $&");

/** Fields of `w`'s form, in order. */
export function fieldsOf(w: ResolvedWidget): FormElement[] {
  const ph = (f: string) => w.placeholders?.[f] ?? placeholder(f);
  if (w.type == "subscription") return [{ type: "email", name: "email", placeholder: ph("email"), required: true }];
  if (w.showForm === false) return [];
  if (w.formElements?.length) return w.formElements;
  return BUILTIN.filter((f) => w.fields?.[f] ?? !HIDDEN[w.type]?.test(f)).map((f) => ({
    type: f == "email" ? "email" : f == "message" ? "textarea" : "text",
    name: f == "name" ? "username" : f,
    placeholder: ph(f),
    required: w.required?.[f] ?? /^(name|email)$/.test(f),
  }));
}

/** A `minDate`/`maxDate` setting as `yyyy-mm-dd` (`today` is local). */
export const dateLimit = (s?: string): string | undefined =>
  s == "today"
    ? new Date(Date.now() - new Date().getTimezoneOffset() * 6e4).toISOString().slice(0, 10)
    : s?.replace(/^(\d\d)-(\d\d)-(\d{4})$/, "$3-$1-$2");

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;

/** `required`, `invalid` or nothing for the values of one field. */
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
