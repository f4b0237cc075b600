/**
 * The registry of an account's collections and events (one object per
 * account, `${cid}/registry`): the source of truth for definitions. Every
 * change is checked against the account's other collections and pushed to
 * the collection's own object, which keeps a copy so writes of data never
 * pass through the registry.
 */
import type { Env } from "../../platform/env";
import { buildEvent, MAX_EVENTS, type EventDef, type EventInput } from "../model/events";
import { newCollectionId, type CollectionDef, type Outcome } from "../model/collection";
import { buildDefinition, primaryKeyKind } from "../model/definition";
import type { CollectionInput } from "../model/input";
import { MAX_COLLECTIONS } from "../model/limits";
import { collectionStub } from "../stubs";
import type { CollectionWithEvents } from "../contract";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS reg_collections (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reg_events (name TEXT PRIMARY KEY, collection TEXT NOT NULL, body TEXT NOT NULL);
`;

/** Registry tables and operations; the object serializes the writes. */
export class Registry {
  constructor(
    private readonly sql: SqlStorage,
    private readonly env: Env,
  ) {}

  private ready(): boolean {
    return (
      this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reg_collections'").toArray().length >
      0
    );
  }

  /** Every collection, oldest first. */
  collections(): CollectionDef[] {
    if (!this.ready()) return [];
    return this.sql
      .exec<{ body: string }>("SELECT body FROM reg_collections ORDER BY id")
      .toArray()
      .map((r) => JSON.parse(r.body));
  }

  /** A collection by id or name. */
  find(ref: string): CollectionDef | null {
    return this.collections().find((c) => c.id === ref || c.name === ref) ?? null;
  }

  /** Every event, by name. */
  events(): EventDef[] {
    if (!this.ready()) return [];
    return this.sql
      .exec<{ body: string }>("SELECT body FROM reg_events ORDER BY name")
      .toArray()
      .map((r) => JSON.parse(r.body));
  }

  /** The collections of a source with their events. */
  source(source: string): CollectionWithEvents[] {
    const events = this.events();
    return this.collections()
      .filter((c) => c.source === source)
      .map((def) => ({ def, events: events.filter((e) => e.collection === def.id) }));
  }

  private save(def: CollectionDef): void {
    this.sql.exec(
      "INSERT INTO reg_collections (id, name, body) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name, body = excluded.body",
      def.id,
      def.name,
      JSON.stringify(def),
    );
  }

  private push(cid: string, def: CollectionDef): Promise<void> {
    return collectionStub(this.env, cid, def.id).configure(
      cid,
      def,
      this.events().filter((e) => e.collection === def.id),
    );
  }

  async create(cid: string, input: CollectionInput): Promise<Outcome<CollectionDef>> {
    const others = this.collections();
    if (others.length >= MAX_COLLECTIONS)
      return { ok: false, reason: "conflict", message: `an account may have at most ${MAX_COLLECTIONS} collections` };
    let id = newCollectionId();
    while (others.some((o) => o.id === id)) id = newCollectionId();
    const built = buildDefinition(id, input, { others, previous: null, hasRows: false });
    if (!built.ok) return built;
    this.sql.exec(SCHEMA);
    await this.push(cid, built.value);
    this.save(built.value);
    return { ok: true, value: built.value, created: true };
  }

  async update(cid: string, ref: string, input: Partial<CollectionInput>): Promise<Outcome<CollectionDef>> {
    const previous = this.find(ref);
    if (!previous) return { ok: false, reason: "not_found", message: `no collection "${ref}"` };
    const rows = (await collectionStub(this.env, cid, previous.id).describe())?.rows ?? 0;
    const others = this.collections().filter((c) => c.id !== previous.id);
    const built = buildDefinition(
      previous.id,
      input,
      { others, previous, hasRows: rows > 0 },
      new Date().toISOString(),
    );
    if (!built.ok) return built;
    const def = built.value;
    // Collections referring to this one need its primary key, of the same kind.
    const referrers = others.filter((o) => o.foreignKeys.some((fk) => fk.collection === def.id));
    if (
      referrers.length &&
      (def.primaryKey !== previous.primaryKey || primaryKeyKind(def) !== primaryKeyKind(previous))
    ) {
      return {
        ok: false,
        reason: "conflict",
        message: `collections ${referrers.map((r) => `"${r.name}"`).join(", ")} refer to the primary key "${previous.primaryKey}"; change their foreign keys first`,
      };
    }
    await this.push(cid, def);
    this.save(def);
    return { ok: true, value: def };
  }

  async remove(cid: string, ref: string): Promise<Outcome<CollectionDef>> {
    const def = this.find(ref);
    if (!def) return { ok: false, reason: "not_found", message: `no collection "${ref}"` };
    const referrers = this.collections().filter(
      (o) => o.id !== def.id && o.foreignKeys.some((fk) => fk.collection === def.id),
    );
    if (referrers.length)
      return {
        ok: false,
        reason: "conflict",
        message: `collections ${referrers.map((r) => `"${r.name}"`).join(", ")} refer to this one; remove their foreign keys first`,
      };
    await collectionStub(this.env, cid, def.id).destroy();
    this.sql.exec("DELETE FROM reg_events WHERE collection = ?", def.id);
    this.sql.exec("DELETE FROM reg_collections WHERE id = ?", def.id);
    return { ok: true, value: def };
  }

  async putEvent(cid: string, input: EventInput): Promise<Outcome<EventDef>> {
    const collection = this.find(input.collection);
    if (!collection)
      return {
        ok: false,
        reason: "invalid",
        message: "the event is not valid",
        errors: [{ path: "collection", message: `no collection "${input.collection}"` }],
      };
    const all = this.events();
    const previous = all.find((e) => e.name === input.name) ?? null;
    if (!previous && all.length >= MAX_EVENTS)
      return { ok: false, reason: "conflict", message: `an account may have at most ${MAX_EVENTS} events` };
    const built = buildEvent(input, collection, previous);
    if (!built.ok) return built;
    this.sql.exec(
      "INSERT INTO reg_events (name, collection, body) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET collection = excluded.collection, body = excluded.body",
      built.value.name,
      collection.id,
      JSON.stringify(built.value),
    );
    await this.push(cid, collection);
    if (previous && previous.collection !== collection.id) {
      const old = this.find(previous.collection);
      if (old) await this.push(cid, old);
    }
    return { ok: true, value: built.value, created: !previous };
  }

  async removeEvent(cid: string, name: string): Promise<Outcome<EventDef>> {
    const event = this.events().find((e) => e.name === name);
    if (!event) return { ok: false, reason: "not_found", message: `no event "${name}"` };
    this.sql.exec("DELETE FROM reg_events WHERE name = ?", name);
    const collection = this.find(event.collection);
    if (collection) await this.push(cid, collection);
    return { ok: true, value: event };
  }
}
