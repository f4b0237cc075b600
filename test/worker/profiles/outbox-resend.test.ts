// A profile keeps each audience change in its outbox until the queue's
// consumer confirms it, and sends it again when no confirmation comes (a
// queue that accepted it may have lost it). When the consumer stays silent
// the resends back off: the first after the confirmation wait, each next one
// twice as long after the previous (capped, see resend-backoff.ts), and a
// confirmation brings the first wait back.
//
// The queue here accepts every message and never delivers any, as a queue
// that lost its memory would; the confirmation wait is shortened to 200 ms
// (development only) on the profile object's environment.
import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Env } from "../../../edge/platform/env";
import type { ProfileObject } from "../../../edge/profiles/profile-object";
import { admin, eventually, newAccount } from "../helpers";
import { ingestWithQueue } from "./ingest-with-queue";

const env = testEnv as unknown as Env;
const FIRST_WAIT = 200;

/** A queue that takes every message and delivers none; records when each batch was sent. */
function lossyQueue() {
  const sends: number[] = [];
  const queue = {
    send: async () => void sends.push(Date.now()),
    sendBatch: async () => void sends.push(Date.now()),
  } as unknown as Queue;
  return { queue, sends };
}

/** Where the outbox stands: batches sent so far, when its message was last sent, the alarm, rows left. */
function outboxState(stub: DurableObjectStub, sends: number[]) {
  return runInDurableObject(stub, async (_o, state) => {
    const sql = state.storage.sql;
    const exists = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").toArray().length;
    const rows = exists
      ? sql.exec<{ seq: number; sent: number | null }>("SELECT seq, sent FROM outbox ORDER BY seq").toArray()
      : [];
    return {
      batches: sends.length,
      seq: rows[0]?.seq ?? null,
      sent: rows[0]?.sent ?? null,
      rows: rows.length,
      alarm: await state.storage.getAlarm(),
    };
  });
}

describe("outbox resends back off while the queue's consumer does not confirm", { timeout: 30_000 }, () => {
  it("resends after the first wait, then after twice as long each time; a confirmation brings the first wait back", async () => {
    const cid = await newAccount();
    expect(
      (await admin(`/v2/segment?cid=${cid}`, "POST", { slug_name: "members", segment_ql: "FILTER member = true" }))
        .status,
    ).toBe(201);
    const { queue, sends } = lossyQueue();
    const id = "resend-1";
    const stub = env.PROFILE.get(env.PROFILE.idFromName(`${cid}/${id}`));
    const ingest = (member: boolean, eid: string) =>
      ingestWithQueue(stub, cid, id, queue, FIRST_WAIT, { _e: "pv", _eid: eid, member });

    // The person enters: the change is sent once and waits for its confirmation.
    await ingest(true, "r-1");
    let s = await outboxState(stub, sends);
    expect(s.batches).toBe(1);
    expect(s.rows).toBe(1);
    expect(s.alarm! - s.sent!).toBe(FIRST_WAIT);

    // No confirmation: the profile's alarm sends it again, each time waiting twice as long as the time before.
    for (let resends = 1; resends <= 3; resends++) {
      s = await eventually(
        () => outboxState(stub, sends),
        (x) => x.batches >= resends + 1,
      );
      expect(s.batches).toBe(resends + 1);
      expect(s.rows).toBe(1);
      expect(s.alarm! - s.sent!).toBe(FIRST_WAIT * 2 ** resends);
    }

    // The consumer confirms it: nothing waits any more, and the next change is resent after the first wait again.
    const seq = s.seq!;
    await runInDurableObject(stub, (instance) => (instance as unknown as ProfileObject).confirm([seq]));
    s = await outboxState(stub, sends);
    expect(s.rows).toBe(0);
    expect(s.alarm).toBeNull();
    await ingest(false, "r-2");
    s = await outboxState(stub, sends);
    expect(s.rows).toBe(1);
    expect(s.alarm! - s.sent!).toBe(FIRST_WAIT);
  });
});
