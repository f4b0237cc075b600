import type { Env } from "../../platform/env";
import type { ProfileStores } from "../storage/profile-stores";
import { resendAfterMs } from "./outbox-sender";

/** Delay before retrying segment events the queue refused. */
const OUTBOX_RETRY_MS = 5_000;

/**
 * The profile object's one alarm: it serves the next audience boundary, the
 * next score or affinity change, outbox retries and resends.
 */
export class ProfileAlarm {
  /** The alarm this instance last set (undefined: unknown, e.g. after a restart). */
  private alarmAt: number | null | undefined = undefined;

  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly stores: ProfileStores,
    private readonly env: Env,
  ) {}

  /** Forgets which alarm is set (it fired, or storage was deleted). */
  forget(): void {
    this.alarmAt = undefined;
  }

  /** One alarm serves the next audience boundary, the next score or affinity change, outbox retries and resends. */
  async scheduleAlarm(): Promise<void> {
    const s = this.stores;
    const pending = s.outbox.hasUnsent() || s.xp.pending();
    // Sent, not confirmed: wake when the oldest is due for a resend.
    const oldest = s.outbox.oldestSent();
    const resend = oldest === null ? null : oldest + resendAfterMs(s, this.env);
    const boundary = s.meta.get("next_boundary") ? s.meta.num("next_boundary") : null;
    const scoreChange = s.meta.get("next_score_change") ? s.meta.num("next_score_change") : null;
    const affinityChange = s.meta.get("next_affinity_change") ? s.meta.num("next_affinity_change") : null;
    const times = [boundary, scoreChange, affinityChange, resend, pending ? Date.now() + OUTBOX_RETRY_MS : null].filter(
      (t): t is number => t !== null,
    );
    const want = times.length ? Math.min(...times) : null;
    // Most events change neither: skip the storage write.
    if (want === this.alarmAt) return;
    if (want === null) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(want);
    this.alarmAt = want;
  }
}
