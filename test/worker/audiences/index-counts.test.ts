import { env as testEnv, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AudienceIndexRpc, IndexedChanges } from "../../../edge/audiences/contract";
import type { Env } from "../../../edge/platform/env";

const env = testEnv as unknown as Env;

const T0 = "2026-01-01T00:00:00.000Z";
const today = () => new Date().toISOString().slice(0, 10);

/** One index shard of its own (a fresh name per test). */
function freshShard(): { stub: DurableObjectStub; rpc: AudienceIndexRpc; restart: () => Promise<void> } {
  const name = `counts-${crypto.randomUUID()}/0`;
  const shard = { stub: env.AUDIENCES.get(env.AUDIENCES.idFromName(name)) } as {
    stub: DurableObjectStub;
    rpc: AudienceIndexRpc;
    restart: () => Promise<void>;
  };
  shard.rpc = shard.stub as unknown as AudienceIndexRpc;
  // A new instance over the same storage, as after an eviction or a deploy.
  shard.restart = async () => {
    await runInDurableObject(shard.stub, (_instance, state) => state.abort("restart")).catch(() => undefined);
    shard.stub = env.AUDIENCES.get(env.AUDIENCES.idFromName(name));
    shard.rpc = shard.stub as unknown as AudienceIndexRpc;
  };
  return shard;
}

const msg = (profile: string, seq: number, ...changes: [slug: string, event: "enter" | "exit"][]): IndexedChanges => ({
  profile,
  seq,
  changes: changes.map(([slug, event]) => ({ slug, event, enter: T0, exit: event === "exit" ? T0 : null })),
});

/**
 * Sizes the shard answers for `slugs` (the path `/v2/segment/:id` takes), beside
 * a count of every stored row (the path of the audience list) and today's
 * recorded size: all three must agree.
 */
async function sizes(rpc: AudienceIndexRpc, slugs: string[]) {
  const asked = await rpc.counts(slugs);
  const all = await rpc.counts();
  const recorded: Record<string, number | undefined> = {};
  for (const slug of slugs) recorded[slug] = (await rpc.sizeHistory(slug)).find((d) => d.day === today())?.n;
  return { asked, all: Object.fromEntries(slugs.map((s) => [s, all[s] ?? 0])), recorded };
}

describe("audience index shard: member counts", () => {
  it("stay exact through redeliveries, stale and reordered messages, several changes of one person in a batch, forgets, drops and restarts", async () => {
    const shard = freshShard();
    const expectSizes = async (want: Record<string, number>) => {
      const got = await sizes(shard.rpc, Object.keys(want));
      expect(got.asked).toEqual(want);
      expect(got.all).toEqual(want);
      expect(got.recorded).toEqual(want);
    };

    await shard.rpc.apply([msg("p1", 1, ["a", "enter"], ["b", "enter"]), msg("p2", 1, ["a", "enter"])]);
    await expectSizes({ a: 2, b: 1 });

    // The queue delivers the same batch again: nothing moves.
    await shard.rpc.apply([msg("p1", 1, ["a", "enter"], ["b", "enter"]), msg("p2", 1, ["a", "enter"])]);
    await expectSizes({ a: 2, b: 1 });

    // p1 leaves a; an older message saying it entered arrives late and changes nothing.
    await shard.rpc.apply([msg("p1", 2, ["a", "exit"])]);
    await shard.rpc.apply([msg("p1", 1, ["a", "enter"])]);
    await expectSizes({ a: 1, b: 1 });

    // One batch carries a person entering and then leaving, and an exit of someone never counted.
    await shard.rpc.apply([msg("p3", 1, ["a", "enter"]), msg("p3", 2, ["a", "exit"]), msg("p4", 3, ["b", "exit"])]);
    await expectSizes({ a: 1, b: 1 });

    // A new instance counts from storage and goes on from there.
    await shard.restart();
    await shard.rpc.apply([msg("p5", 1, ["a", "enter"], ["b", "enter"])]);
    await expectSizes({ a: 2, b: 2 });

    // Forgotten people leave every count, and stay out.
    await shard.rpc.forget(["p5"]);
    await expectSizes({ a: 1, b: 1 });
    await shard.rpc.apply([msg("p5", 9, ["a", "enter"])]);
    await expectSizes({ a: 1, b: 1 });

    // A dropped audience starts again from nobody.
    await shard.rpc.dropAudience("a");
    expect((await shard.rpc.counts(["a"])).a).toBe(0);
    await shard.rpc.apply([msg("p6", 1, ["a", "enter"])]);
    await expectSizes({ a: 1, b: 1 });
  });
});
