/**
 * The reference's API-override example ("Unlock additional web
 * personalization features with Lytics API overrides"): a Capture Leads
 * slideout built in the editor (class `custom-tracking-widget`), saved as a
 * draft with id 2d3e345b2ac24acd9d6d3d33f93516fd, then PATCHed with a
 * `vehicle.detail_override` carrying custom `formElements` (checkboxes of
 * feeds to subscribe to), `formStates` and a `confirmAction` whose callback
 * — a minified function, quotes escaped — posts the form to a third party.
 */
import type { Experience, JsonObject } from "../../../edge/experiences/contract";
import { createExperience, patchExperience } from "../../../edge/experiences/model/experience";

export const OVERRIDE_EXPERIENCE_ID = "2d3e345b2ac24acd9d6d3d33f93516fd";

/** What the editor generated (design step: headline, body, call to action, slideout, own CSS class). */
export const editorWidget: JsonObject = {
  layout: "slideout",
  position: "bottom-right",
  headline: "Stay in the loop",
  msg: "Pick the feeds you want in your inbox.",
  okMessage: "Subscribe",
  className: "custom-tracking-widget",
  theme: "none",
  displayConditions: { showDelay: 3, scrollPercentageToDisplay: 30 },
};

/** `curl -X PATCH .../api/experience/2d3e345b2ac24acd9d6d3d33f93516fd -d @body.json`. */
export const overridePatchBody: { vehicle: { detail_override: JsonObject } } = {
  vehicle: {
    detail_override: {
      formElements: [
        { type: "text", required: true, label: "Email Address", name: "email" },
        {
          type: "checkbox-group",
          required: true,
          label: "Which feeds would you like to subscribe to?",
          name: "rss_feeds",
          values: [
            { label: "Beauty & Fashion", value: "beauty" },
            { label: "Travel", value: "travel" },
            { label: "Food & Drink", value: "food" },
          ],
        },
      ],
      formStates: {
        success: { headline: "Success", msg: "Thanks for signing up, you can expect updates in your inbox soon." },
        error: { headline: "Error", msg: "There was an issue submitting your subscription. Please try again." },
      },
      confirmAction: {
        waitForAsyncResponse: true,
        callback:
          'function(e,t,n){var o=new XMLHttpRequest;o.open("POST","https://example.com/subscribe"),o.onload=function(){n(o.status<300)},o.send(JSON.stringify(t.data))}',
      },
    },
  },
};

/** An experience from a create body (throws on a problem), optionally patched. */
export function experience(body: object, opts: { id?: string; now?: Date; patch?: object } = {}): Experience {
  const now = opts.now ?? new Date("2026-06-15T12:00:00Z");
  const created = createExperience(body, { id: opts.id ?? OVERRIDE_EXPERIENCE_ID, now });
  if (!created.ok) throw new Error(JSON.stringify(created.problem));
  if (!opts.patch) return created.value;
  const patched = patchExperience(created.value, opts.patch, now);
  if (!patched.ok) throw new Error(JSON.stringify(patched.problem));
  return patched.value;
}
