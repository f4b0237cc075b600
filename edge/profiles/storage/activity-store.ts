import { readActivity } from "../fields/profile-activity";
import type { ActivityState } from "../scores";
import type { MetaTable } from "./meta-store";

/** The behavioral-score activity state, stored as JSON under the meta key `activity`. */
export class ActivityStore {
  /** The activity state parsed from its stored JSON (scores read it several times per event). */
  private activityCache: { json: string | null; state: ActivityState } | null = null;

  constructor(private readonly meta: MetaTable) {}

  /** The stored activity state, parsed once per change. */
  current(): ActivityState {
    const json = this.meta.get("activity");
    if (this.activityCache?.json !== json) this.activityCache = { json, state: readActivity(json) };
    return this.activityCache.state;
  }

  dropCache(): void {
    this.activityCache = null;
  }
}
