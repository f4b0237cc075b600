/**
 * The experience editor: five steps — tactic, design, targeting, display
 * conditions, review — building the Pathfora configuration the Experiences
 * API accepts, with the live preview beside it. The API's errors appear
 * beside the field they name, and the steps that hold one are marked.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { ApiFailure, type Session } from "../../api";
import { useConfirm } from "../../ui/confirm";
import { ErrorSummary, Field, pathMatches } from "../../ui/errors";
import { can } from "../../ui/role";
import { useLoad } from "../../ui/use-load";
import type { ConsoleRole } from "../types";
import { createExperience, getExperience, listAudiences, patchExperience } from "./client";
import {
  bodyOf,
  composeWidget,
  type Draft,
  defaultWidget,
  draftOf,
  emptyDraft,
  evenSplit,
  type Json,
  type JsonObject,
  newVariation,
  parseOverride,
  POSITIONS,
  previewConfig,
  splitAddsUp,
  TACTICS,
  type Tactic,
  type VariationDraft,
} from "./model";
import { Preview } from "./preview";

const STEPS = ["Tactic", "Design", "Targeting", "Display conditions", "Review"] as const;

/** The step showing the field an API error path names. */
export function stepOfPath(path: string | undefined): number {
  if (!path) return 4;
  if (["name", "description", "tactic"].some((p) => pathMatches(path, p))) return 0;
  if (["variations", "control_share"].some((p) => pathMatches(path, p))) return 1;
  if (["targeting", "dates", "goal"].some((p) => pathMatches(path, p))) return 2;
  if (pathMatches(path, "display_conditions")) return 3;
  return 4;
}

/** Every field path a step of the editor shows (errors elsewhere go to the summary). */
const CLAIMED = [
  "name",
  "description",
  "tactic",
  "variations",
  "control_share",
  "targeting",
  "dates",
  "goal",
  "display_conditions",
  "vehicle.detail_override",
];

const num = (text: string): number | undefined => (text.trim() === "" ? undefined : Number(text));
const str = (v: Json | undefined): string => (v === undefined || v === null ? "" : String(v));

/** Returns `obj` with `key` set, or removed when `value` is undefined or "". */
function withKey(obj: JsonObject, key: string, value: Json | undefined): JsonObject {
  const out = { ...obj };
  if (value === undefined || value === "") delete out[key];
  else out[key] = value;
  return out;
}

export function Editor({ session, role, id }: { session: Session; role: ConsoleRole; id: string | null }) {
  const writable = can(role, "write");
  const [draft, setDraft] = useState<Draft | null>(id ? null : emptyDraft());
  const [step, setStep] = useState(0);
  const [current, setCurrent] = useState(0);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);
  const [ask, dialog] = useConfirm();
  const audiences = useLoad(() => listAudiences(session), [session]);
  const loaded = useLoad(() => (id ? getExperience(session, id) : Promise.resolve(null)), [session, id]);
  useEffect(() => {
    if (loaded.data) setDraft(draftOf(loaded.data));
  }, [loaded.data]);

  if (loaded.error) return <ErrorSummary error={loaded.error} />;
  if (!draft)
    return (
      <p class="muted" role="status">
        Loading the experience…
      </p>
    );
  const readOnly = !writable || draft.status === "archived";
  const update = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  const variation = draft.variations[Math.min(current, draft.variations.length - 1)]!;
  const vi = draft.variations.indexOf(variation);
  const setVariation = (patch: Partial<VariationDraft>) =>
    update({ variations: draft.variations.map((v, i) => (i === vi ? { ...v, ...patch } : v)) });
  const setWidget = (key: string, value: Json | undefined) =>
    setVariation({ widget: withKey(variation.widget, key, value) });
  const setDisplay = (key: string, value: Json | undefined) => update({ display: withKey(draft.display, key, value) });
  const vpath = (key: string) => `variations.${vi}.${key}`;
  const override = parseOverride(draft.overrideText);
  const errorSteps = new Set(
    error instanceof ApiFailure ? error.errors.map((e) => stepOfPath(e.path)) : ([] as number[]),
  );
  if (!override.ok) errorSteps.add(4);

  const save = async (publish: boolean) => {
    setNotice("");
    if (!override.ok) {
      setStep(4);
      return;
    }
    if (publish) {
      const who = draft.include.length ? `visitors in ${draft.include.join(", ")}` : "every visitor";
      const ok = await ask({
        title: `Publish “${draft.name || "this experience"}”?`,
        body: <p>It goes live at once: {who} will see it on their next page load.</p>,
        confirm: "Publish",
      });
      if (!ok) return;
    }
    setBusy(true);
    try {
      const body = bodyOf(draft);
      if (publish) body.status = "published";
      const saved = draft.id ? await patchExperience(session, draft.id, body) : await createExperience(session, body);
      setDraft(draftOf(saved));
      setError(undefined);
      setNotice(publish ? "Published: it is live on the next page load." : "Saved.");
      if (!draft.id) history.replaceState(null, "", `#experiences/${encodeURIComponent(saved.id)}`);
    } catch (err) {
      setError(err);
      if (err instanceof ApiFailure && err.errors.length)
        setStep(Math.min(...err.errors.map((e) => stepOfPath(e.path))));
    } finally {
      setBusy(false);
    }
  };

  const audienceList = audiences.data ?? [];
  const privateIncluded = draft.include.filter((slug) =>
    audienceList.some((a) => a.slug_name === slug && !a.is_public),
  );
  const info = TACTICS[draft.tactic];

  return (
    <>
      <p>
        <a href="#experiences">← All experiences</a>
      </p>
      <h1>
        {draft.id ? draft.name || "Experience" : "New experience"}{" "}
        <span class={`pill status-${draft.status}`}>{draft.status}</span>
      </h1>
      {readOnly && (
        <p class="muted">
          {writable ? "Archived experiences cannot be changed." : "Your role can read experiences but not change them."}
        </p>
      )}
      <nav aria-label="Editor steps">
        <ol class="steps">
          {STEPS.map((label, i) => (
            <li key={label}>
              <button
                type="button"
                class={i === step ? "step current" : "step"}
                aria-current={i === step ? "step" : undefined}
                onClick={() => setStep(i)}
              >
                {i + 1}. {label}
                {errorSteps.has(i) && <span class="error-text"> (needs attention)</span>}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <div class="editor">
        <form
          class="card editor-form"
          aria-label={STEPS[step]}
          onSubmit={(e) => {
            e.preventDefault();
            if (step < STEPS.length - 1) setStep(step + 1);
          }}
        >
          <fieldset disabled={readOnly}>
            <legend>
              <h2>{STEPS[step]}</h2>
            </legend>
            {step === 0 && (
              <>
                <Field id="exp-name" label="Name" path="name" error={error}>
                  <input
                    id="exp-name"
                    value={draft.name}
                    required
                    onInput={(e) => update({ name: (e.target as HTMLInputElement).value })}
                  />
                </Field>
                <Field id="exp-description" label="Description (optional)" path="description" error={error}>
                  <input
                    id="exp-description"
                    value={draft.description}
                    onInput={(e) => update({ description: (e.target as HTMLInputElement).value })}
                  />
                </Field>
                <fieldset class="choices">
                  <legend>What should it do?</legend>
                  {(Object.keys(TACTICS) as Tactic[]).map((t) => (
                    <label key={t} class="choice">
                      <input
                        type="radio"
                        name="tactic"
                        value={t}
                        checked={draft.tactic === t}
                        onChange={() =>
                          update({
                            tactic: t,
                            variations: draft.variations.map((v) => ({
                              ...v,
                              widget: { ...defaultWidget(t), ...pickText(v.widget) },
                            })),
                          })
                        }
                      />{" "}
                      <strong>{TACTICS[t].label}</strong> <span class="muted">{TACTICS[t].blurb}</span>
                    </label>
                  ))}
                </fieldset>
              </>
            )}
            {step === 1 && (
              <>
                <fieldset class="variation-tabs">
                  <legend class="visually-hidden">Variations</legend>
                  {draft.variations.map((v, i) => (
                    <button
                      key={v.id}
                      type="button"
                      class="secondary"
                      aria-pressed={i === vi}
                      onClick={() => setCurrent(i)}
                    >
                      {v.name} ({v.share}%)
                    </button>
                  ))}
                  {draft.variations.length < 10 && (
                    <button
                      type="button"
                      class="secondary"
                      onClick={() => {
                        const added = newVariation(
                          draft.tactic,
                          draft.variations.map((v) => v.id),
                        );
                        const next = {
                          ...draft,
                          variations: [...draft.variations, { ...added, widget: { ...variation.widget } }],
                        };
                        setDraft({ ...next, variations: evenSplit(next) });
                        setCurrent(next.variations.length - 1);
                      }}
                    >
                      Add variation
                    </button>
                  )}
                </fieldset>
                <div class="grid2">
                  <Field id="var-name" label="Variation name" path={vpath("name")} error={error}>
                    <input
                      id="var-name"
                      value={variation.name}
                      onInput={(e) => setVariation({ name: (e.target as HTMLInputElement).value })}
                    />
                  </Field>
                  <Field id="var-share" label="Traffic share (%)" path={vpath("share")} error={error}>
                    <input
                      id="var-share"
                      type="number"
                      min="0"
                      max="100"
                      step="0.01"
                      value={variation.share}
                      onInput={(e) => setVariation({ share: Number((e.target as HTMLInputElement).value) || 0 })}
                    />
                  </Field>
                  <Field id="var-layout" label="Layout" path={vpath("widget.layout")} error={error}>
                    <select
                      id="var-layout"
                      value={str(variation.widget.layout)}
                      onChange={(e) => {
                        const layout = (e.target as HTMLSelectElement).value;
                        const positions = POSITIONS[layout] ?? [];
                        setVariation({
                          widget: withKey(withKey(variation.widget, "layout", layout), "position", positions[0]),
                        });
                      }}
                    >
                      {info.layouts.map((l) => (
                        <option key={l} value={l}>
                          {l}
                        </option>
                      ))}
                    </select>
                  </Field>
                  {(POSITIONS[str(variation.widget.layout)] ?? []).length > 0 && (
                    <Field id="var-position" label="Position" path={vpath("widget.position")} error={error}>
                      <select
                        id="var-position"
                        value={str(variation.widget.position)}
                        onChange={(e) => setWidget("position", (e.target as HTMLSelectElement).value)}
                      >
                        {(POSITIONS[str(variation.widget.layout)] ?? []).map((p) => (
                          <option key={p} value={p}>
                            {p}
                          </option>
                        ))}
                      </select>
                    </Field>
                  )}
                </div>
                <Field id="var-headline" label="Headline" path={vpath("widget.headline")} error={error}>
                  <input
                    id="var-headline"
                    value={str(variation.widget.headline)}
                    onInput={(e) => setWidget("headline", (e.target as HTMLInputElement).value)}
                  />
                </Field>
                <Field id="var-msg" label="Message" path={vpath("widget.msg")} error={error}>
                  <textarea
                    id="var-msg"
                    class="short"
                    value={str(variation.widget.msg)}
                    onInput={(e) => setWidget("msg", (e.target as HTMLTextAreaElement).value)}
                  />
                </Field>
                <div class="grid2">
                  <Field id="var-ok" label="Button text" path={vpath("widget.okMessage")} error={error}>
                    <input
                      id="var-ok"
                      value={str(variation.widget.okMessage)}
                      onInput={(e) => setWidget("okMessage", (e.target as HTMLInputElement).value)}
                    />
                  </Field>
                  {info.factory === "Message" && (
                    <Field
                      id="var-cancel"
                      label="Dismiss button text"
                      path={vpath("widget.cancelMessage")}
                      error={error}
                    >
                      <input
                        id="var-cancel"
                        value={str(variation.widget.cancelMessage)}
                        onInput={(e) => setWidget("cancelMessage", (e.target as HTMLInputElement).value)}
                      />
                    </Field>
                  )}
                  <Field id="var-theme" label="Theme" path={vpath("widget.theme")} error={error}>
                    <select
                      id="var-theme"
                      value={str(variation.widget.theme) || "default"}
                      onChange={(e) => {
                        const v = (e.target as HTMLSelectElement).value;
                        setWidget("theme", v === "default" ? undefined : v);
                      }}
                    >
                      <option value="default">default</option>
                      <option value="light">light</option>
                      <option value="dark">dark</option>
                    </select>
                  </Field>
                  {draft.tactic !== "recommend_content" && (
                    <Field id="var-image" label="Image URL (optional)" path={vpath("widget.image")} error={error}>
                      <input
                        id="var-image"
                        type="url"
                        value={str(variation.widget.image)}
                        onInput={(e) => {
                          const image = (e.target as HTMLInputElement).value;
                          setVariation({
                            widget: withKey(
                              withKey(variation.widget, "image", image),
                              "variant",
                              image ? "2" : undefined,
                            ),
                          });
                        }}
                      />
                    </Field>
                  )}
                </div>
                {draft.tactic === "drive_traffic" && (
                  <div class="grid2">
                    <Field id="var-link" label="Link the button opens" path={vpath("link")} error={error}>
                      <input
                        id="var-link"
                        type="url"
                        placeholder="https://"
                        value={variation.linkUrl}
                        onInput={(e) => setVariation({ linkUrl: (e.target as HTMLInputElement).value })}
                      />
                    </Field>
                    <label class="inline-check">
                      <input
                        type="checkbox"
                        checked={variation.linkNewTab}
                        onChange={() => setVariation({ linkNewTab: !variation.linkNewTab })}
                      />{" "}
                      Open in a new tab
                    </label>
                  </div>
                )}
                <div class="row split">
                  <Field
                    id="control-share"
                    label="Control group (%) — sees nothing, for lift"
                    path="control_share"
                    error={error}
                  >
                    <input
                      id="control-share"
                      type="number"
                      min="0"
                      max="99"
                      step="0.01"
                      value={draft.controlShare}
                      onInput={(e) => update({ controlShare: Number((e.target as HTMLInputElement).value) || 0 })}
                    />
                  </Field>
                  <button type="button" class="secondary" onClick={() => update({ variations: evenSplit(draft) })}>
                    Split the rest evenly
                  </button>
                  {draft.variations.length > 1 && (
                    <button
                      type="button"
                      class="danger"
                      onClick={() => {
                        const rest = { ...draft, variations: draft.variations.filter((_, i) => i !== vi) };
                        setDraft({ ...rest, variations: evenSplit(rest) });
                        setCurrent(0);
                      }}
                    >
                      Remove {variation.name}
                    </button>
                  )}
                </div>
                {!splitAddsUp(draft) && (
                  <p class="error-text" role="status">
                    Shares add up to {draft.variations.reduce((s, v) => s + v.share, 0) + draft.controlShare}%, not
                    100%.
                  </p>
                )}
                <FieldErrorsAt error={error} path="variations" exact />
              </>
            )}
            {step === 2 && (
              <>
                <AudiencePicker
                  legend="Show it to visitors in any of these audiences (none: everyone)"
                  name="include"
                  audiences={audienceList.map((a) => a.slug_name)}
                  chosen={draft.include}
                  onChange={(include) => update({ include })}
                />
                {privateIncluded.length > 0 && (
                  <p class="error-text">
                    Browsers cannot see {privateIncluded.join(", ")}: turn on “Browsers see it” for that audience, or
                    visitors in it will not be shown this experience.
                  </p>
                )}
                <AudiencePicker
                  legend="Never show it to visitors in these audiences"
                  name="exclude"
                  audiences={audienceList.map((a) => a.slug_name)}
                  chosen={draft.exclude}
                  onChange={(exclude) => update({ exclude })}
                />
                <FieldErrorsAt error={error} path="targeting" />
                <div class="grid2">
                  <Field id="exp-start" label="Starts (optional)" path="dates.start_date" error={error}>
                    <input
                      id="exp-start"
                      type="date"
                      value={draft.startDate}
                      onInput={(e) => update({ startDate: (e.target as HTMLInputElement).value })}
                    />
                  </Field>
                  <Field id="exp-end" label="Ends, then archived (optional)" path="dates.end_date" error={error}>
                    <input
                      id="exp-end"
                      type="date"
                      value={draft.endDate}
                      onInput={(e) => update({ endDate: (e.target as HTMLInputElement).value })}
                    />
                  </Field>
                </div>
                <Field id="exp-goal" label="Goal event for lift (optional, e.g. purchase)" path="goal" error={error}>
                  <input
                    id="exp-goal"
                    value={draft.goalEvent}
                    onInput={(e) => update({ goalEvent: (e.target as HTMLInputElement).value })}
                  />
                </Field>
              </>
            )}
            {step === 3 && (
              <>
                <div class="grid2">
                  <Field id="dc-delay" label="Show after (seconds)" path="display_conditions.showDelay" error={error}>
                    <input
                      id="dc-delay"
                      type="number"
                      min="0"
                      value={str(draft.display.showDelay)}
                      onInput={(e) => setDisplay("showDelay", num((e.target as HTMLInputElement).value))}
                    />
                  </Field>
                  <Field id="dc-hide" label="Hide after (seconds)" path="display_conditions.hideAfter" error={error}>
                    <input
                      id="dc-hide"
                      type="number"
                      min="0"
                      value={str(draft.display.hideAfter)}
                      onInput={(e) => setDisplay("hideAfter", num((e.target as HTMLInputElement).value))}
                    />
                  </Field>
                  <Field
                    id="dc-scroll"
                    label="Show after scrolling (% of the page)"
                    path="display_conditions.scrollPercentageToDisplay"
                    error={error}
                  >
                    <input
                      id="dc-scroll"
                      type="number"
                      min="0"
                      max="100"
                      value={str(draft.display.scrollPercentageToDisplay)}
                      onInput={(e) =>
                        setDisplay("scrollPercentageToDisplay", num((e.target as HTMLInputElement).value))
                      }
                    />
                  </Field>
                  <Field
                    id="dc-visits"
                    label="Show from page visit number"
                    path="display_conditions.pageVisits"
                    error={error}
                  >
                    <input
                      id="dc-visits"
                      type="number"
                      min="0"
                      value={str(draft.display.pageVisits)}
                      onInput={(e) => setDisplay("pageVisits", num((e.target as HTMLInputElement).value))}
                    />
                  </Field>
                </div>
                <label class="inline-check">
                  <input
                    type="checkbox"
                    checked={draft.display.showOnExitIntent === true}
                    onChange={() =>
                      setDisplay("showOnExitIntent", draft.display.showOnExitIntent === true ? undefined : true)
                    }
                  />{" "}
                  Show when the visitor is about to leave (exit intent)
                </label>
                <Field
                  id="dc-urls"
                  label="Only on pages whose URL contains (one per line)"
                  path="display_conditions.urlContains"
                  error={error}
                >
                  <textarea
                    id="dc-urls"
                    class="short"
                    value={urlLines(draft.display.urlContains)}
                    onInput={(e) => {
                      const lines = (e.target as HTMLTextAreaElement).value
                        .split("\n")
                        .map((l) => l.trim())
                        .filter(Boolean);
                      setDisplay(
                        "urlContains",
                        lines.length ? lines.map((value) => ({ match: "substring", value })) : undefined,
                      );
                    }}
                  />
                </Field>
                <FieldErrorsAt error={error} path="display_conditions" exact />
              </>
            )}
            {step === 4 && (
              <>
                <dl class="summary">
                  <dt>Name</dt>
                  <dd>{draft.name || <span class="error-text">missing</span>}</dd>
                  <dt>Tactic</dt>
                  <dd>
                    {info.label} — conversions are {info.conversion}s
                  </dd>
                  <dt>Audiences</dt>
                  <dd>
                    {draft.include.length ? draft.include.join(", ") : "everyone"}
                    {draft.exclude.length ? `, except ${draft.exclude.join(", ")}` : ""}
                  </dd>
                  <dt>Traffic</dt>
                  <dd>
                    {draft.variations.map((v) => `${v.name} ${v.share}%`).join(", ")}
                    {draft.controlShare ? `, control ${draft.controlShare}%` : ""}
                  </dd>
                </dl>
                <details open={!!draft.overrideText || !override.ok}>
                  <summary>Advanced: Pathfora configuration override (detail_override)</summary>
                  <Field
                    id="exp-override"
                    label="JSON merged over every variation's widget (objects merge, null removes a key)"
                    path="vehicle.detail_override"
                    error={
                      override.ok
                        ? error
                        : new ApiFailure(422, "invalid override", [
                            { path: "vehicle.detail_override", message: override.message },
                          ])
                    }
                  >
                    <textarea
                      id="exp-override"
                      spellcheck={false}
                      placeholder='{"colors": {"actionBackground": "#2457c5"}}'
                      value={draft.overrideText}
                      onInput={(e) => update({ overrideText: (e.target as HTMLTextAreaElement).value })}
                    />
                  </Field>
                </details>
                <details>
                  <summary>The Pathfora configuration of {variation.name}</summary>
                  <pre>{JSON.stringify(composeWidget(draft, variation), null, 2)}</pre>
                </details>
              </>
            )}
          </fieldset>
          <div class="row step-buttons">
            {step > 0 && (
              <button type="button" class="secondary" onClick={() => setStep(step - 1)}>
                Back
              </button>
            )}
            {step < STEPS.length - 1 && <button type="submit">Next: {STEPS[step + 1]}</button>}
            {!readOnly && (
              <>
                <button type="button" class="secondary" disabled={busy} onClick={() => save(false)}>
                  {draft.status === "published" ? "Save changes (live)" : "Save draft"}
                </button>
                {(draft.status === "draft" || draft.status === "paused") && (
                  <button type="button" disabled={busy} onClick={() => save(true)}>
                    Publish
                  </button>
                )}
              </>
            )}
          </div>
          {notice && (
            <p class="notice" role="status">
              {notice} {draft.id && <a href={`#experiences/${encodeURIComponent(draft.id)}/report`}>See its report</a>}
            </p>
          )}
          <ErrorSummary error={error} fields={CLAIMED} />
        </form>
        {step > 0 && <Preview factory={info.factory} config={previewConfig(draft, variation)} label={variation.name} />}
      </div>
      {dialog}
    </>
  );
}

/** The text keys a marketer typed, kept when the tactic changes. */
function pickText(widget: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of ["headline", "msg"]) if (typeof widget[k] === "string") out[k] = widget[k];
  return out;
}

function urlLines(rules: Json | undefined): string {
  if (!Array.isArray(rules)) return "";
  return rules
    .map((r) => (typeof r === "string" ? r : r && typeof r === "object" && !Array.isArray(r) ? str(r.value) : ""))
    .join("\n");
}

/** Errors whose path is `path` itself (`exact`) or inside it, shown where no input claims them. */
function FieldErrorsAt({ error, path, exact }: { error: unknown; path: string; exact?: boolean }) {
  if (!(error instanceof ApiFailure)) return null;
  const mine = error.errors.filter((e) => (exact ? e.path === path : pathMatches(e.path, path)));
  if (!mine.length) return null;
  return (
    <ul class="field-error">
      {mine.map((e, i) => (
        <li key={i}>
          {e.path && <code>{e.path}</code>} {e.message}
        </li>
      ))}
    </ul>
  );
}

function AudiencePicker({
  legend,
  name,
  audiences,
  chosen,
  onChange,
}: {
  legend: string;
  name: string;
  audiences: string[];
  chosen: string[];
  onChange: (slugs: string[]) => void;
}) {
  const all = useMemo(() => [...new Set([...audiences, ...chosen])].sort(), [audiences, chosen]);
  return (
    <fieldset class="choices">
      <legend>{legend}</legend>
      {all.length === 0 && <p class="muted">No audiences yet: create one on the Audiences page.</p>}
      {all.map((slug) => (
        <label key={slug} class="choice inline">
          <input
            type="checkbox"
            name={name}
            value={slug}
            checked={chosen.includes(slug)}
            onChange={() => onChange(chosen.includes(slug) ? chosen.filter((s) => s !== slug) : [...chosen, slug])}
          />{" "}
          {slug}
        </label>
      ))}
    </fieldset>
  );
}
