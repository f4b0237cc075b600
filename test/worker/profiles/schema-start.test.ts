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

  it("finds a column wherever its definition names it, and adds none twice", async () => {
    const ns = (env as unknown as { PROFILE: DurableObjectNamespace }).PROFILE;
    const stub = ns.get(ns.idFromName(`schema-start/${crypto.randomUUID()}`));
    await runInDurableObject(stub, (_instance, state) => {
      const sql = state.storage.sql;
      // The columns the upgrade looks for, first in their tables' definitions (right after the parenthesis).
      sql.exec(
        "CREATE TABLE obs (lseq INTEGER NOT NULL DEFAULT 0,fseq INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL, value TEXT NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, count INTEGER NOT NULL, PRIMARY KEY (name, value)) WITHOUT ROWID",
      );
      sql.exec("CREATE TABLE outbox (sent INTEGER, seq INTEGER PRIMARY KEY, body TEXT NOT NULL)");
      const tables = new ProfileTables(sql);
      expect(tables.has("obs") && tables.has("outbox")).toBe(true);
      const columns = (table: string) =>
        sql
          .exec<{ name: string }>(`PRAGMA table_info(${table})`)
          .toArray()
          .map((c) => c.name);
      expect(columns("obs").filter((c) => c === "lseq" || c === "fseq")).toEqual(["lseq", "fseq"]);
      expect(columns("outbox").filter((c) => c === "sent")).toEqual(["sent"]);
    });
  });
});
