import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ProfileTables } from "../../../edge/profiles/storage/schema";

/**
 * A profile object reads which tables it holds each time it starts, and
 * every start counts: a profile evicted after its first event is started
 * again by the queue's confirmation of its outbox, by `/personalize`, by
 * its alarm. Current tables need no upgrade, so a start is one statement.
 */
describe("profile tables on start", () => {
  it("reads a current profile's tables in one statement and upgrades nothing", async () => {
    const ns = (env as unknown as { PROFILE: DurableObjectNamespace }).PROFILE;
    const stub = ns.get(ns.idFromName(`schema-start/${crypto.randomUUID()}`));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      const first = new ProfileTables(sql);
      for (const table of ["meta", "obs", "seen", "ids", "outbox", "membership", "recent"] as const)
        first.ensure(table);
      const statements: string[] = [];
      const counting = {
        exec: (query: string, ...args: unknown[]) => {
          statements.push(query);
          return sql.exec(query, ...args);
        },
      } as unknown as SqlStorage;
      const again = new ProfileTables(counting);
      expect(statements).toHaveLength(1);
      expect(again.has("obs") && again.has("outbox") && again.has("recent")).toBe(true);
      expect(again.has("manual")).toBe(false);
      // Nothing was altered: the columns are there once.
      const columns = sql
        .exec<{ name: string }>("PRAGMA table_info(obs)")
        .toArray()
        .map((c) => c.name);
      expect(columns.filter((c) => c === "lseq")).toHaveLength(1);
    });
  });
});
