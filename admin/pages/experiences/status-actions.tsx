/** Publish, pause and archive, each after a confirmation, following the lifecycle draft → published ⇄ paused → archived. */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { Session } from "../../api";
import type { ConfirmRequest } from "../../ui/confirm";
import { setStatus } from "./client";
import type { Experience, ExperienceStatus } from "./model";

/** Status changes the lifecycle allows, by current status (as the edge's lifecycle.ts). */
export const NEXT: Record<ExperienceStatus, readonly ExperienceStatus[]> = {
  draft: ["published"],
  published: ["paused", "archived"],
  paused: ["published", "archived"],
  archived: [],
};

const VERB: Record<ExperienceStatus, string> = {
  draft: "Draft",
  published: "Publish",
  paused: "Pause",
  archived: "Archive",
};

function question(e: Experience, to: ExperienceStatus): ConfirmRequest {
  const name = `“${e.name}”`;
  const body: Record<ExperienceStatus, ComponentChildren> = {
    published: (
      <p>
        It goes live at once for{" "}
        {e.targeting.include.length ? `visitors in ${e.targeting.include.join(", ")}` : "every visitor"}, on their next
        page load.
      </p>
    ),
    paused: <p>Visitors stop seeing it on their next page load. You can publish it again later.</p>,
    archived: <p>Archiving cannot be undone: the experience stops and becomes read-only. Its report is kept.</p>,
    draft: null,
  };
  return {
    title: `${to === "published" && e.status === "paused" ? "Resume" : VERB[to]} ${name}?`,
    body: body[to],
    confirm: VERB[to],
    danger: to === "archived",
  };
}

/** The lifecycle buttons of one experience. */
export function StatusActions({
  session,
  experience,
  ask,
  onChanged,
  onError,
}: {
  session: Session;
  experience: Experience;
  ask: (r: ConfirmRequest) => Promise<boolean>;
  onChanged: (e: Experience) => void;
  onError: (err: unknown) => void;
}) {
  const [busy, setBusy] = useState(false);
  const act = async (to: ExperienceStatus) => {
    if (!(await ask(question(experience, to)))) return;
    setBusy(true);
    try {
      onChanged(await setStatus(session, experience.id, to));
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <span class="actions">
      {NEXT[experience.status].map((to) => (
        <button
          key={to}
          type="button"
          class={to === "archived" ? "danger small" : to === "published" ? "small" : "secondary small"}
          disabled={busy}
          aria-label={`${VERB[to]} ${experience.name}`}
          onClick={() => act(to)}
        >
          {VERB[to]}
        </button>
      ))}
    </span>
  );
}
