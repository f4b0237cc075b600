import {
  type Assignment,
  type ExperienceSummary,
  type ProfileExperienceState,
  type ReportDelta,
  type TrackingEvent,
  CONTROL,
  dayOf,
  widgetEventOf,
} from "./report-model";

/** A profile that has not met any experience. */
export function emptyProfileState(): ProfileExperienceState {
  return { reached: {}, converted: {}, goals: {} };
}

/**
 * Folds one collected event into the profile's experience state: a new
 * state (the input is untouched) and the report deltas it owes. Idempotent:
 * folding the same event again changes nothing and yields deltas with the
 * same ids (which shards ignore).
 *
 * @param experiences looks up an experience of the account (undefined: deleted, ignore)
 * @param profileKey the profile's stable key
 */
export function foldEvent(
  state: ProfileExperienceState,
  event: TrackingEvent,
  experiences: (id: string) => ExperienceSummary | undefined,
  profileKey: string,
): { state: ProfileExperienceState; deltas: ReportDelta[] } {
  const next: ProfileExperienceState = {
    reached: { ...state.reached },
    converted: { ...state.converted },
    goals: { ...state.goals },
  };
  const deltas: ReportDelta[] = [];
  const day = dayOf(event.ts);
  const widget = widgetEventOf(event.fields);
  const exp = widget && experiences(widget.experience_id);
  if (widget && exp) {
    const { experience_id, variation, kind } = widget;
    const converts = variation !== CONTROL && exp.conversion.includes(kind);
    const reach = (kind === "show" || kind === "holdout" || converts) && !(experience_id in next.reached);
    const conversion = converts && !(experience_id in next.converted);
    if (reach) next.reached[experience_id] = variation;
    if (conversion) next.converted[experience_id] = variation;
    deltas.push({
      id: `${profileKey}/${event.id}`,
      experience_id,
      variation,
      day,
      reach: reach ? 1 : 0,
      conversions: conversion ? 1 : 0,
      goal_conversions: 0,
      event: kind,
    });
  }
  if (event.type !== undefined) {
    for (const [experience_id, variation] of Object.entries(state.reached)) {
      if (experience_id in next.goals || experiences(experience_id)?.goal !== event.type) continue;
      next.goals[experience_id] = variation;
      deltas.push({
        id: `${profileKey}/${event.id}/${experience_id}`,
        experience_id,
        variation,
        day,
        reach: 0,
        conversions: 0,
        goal_conversions: 1,
        event: null,
      });
    }
  }
  return { state: next, deltas };
}

/**
 * Profile fields for campaign-data audiences: each experience id, and
 * `{experience id}:{variation}`, the profile reached / converted on — so
 * "reached variation A and did not convert" is
 * `experiences_reached` contains `{id}:a` and `experiences_converted` does
 * not contain `{id}`.
 */
export function profileFields(state: ProfileExperienceState): {
  experiences_reached: string[];
  experiences_converted: string[];
} {
  const list = (m: Record<string, Assignment>) => Object.entries(m).flatMap(([id, v]) => [id, `${id}:${v}`]);
  return { experiences_reached: list(state.reached), experiences_converted: list(state.converted) };
}
