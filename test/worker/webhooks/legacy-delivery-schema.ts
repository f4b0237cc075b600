/**
 * The delivery object's tables and indexes exactly as commit e54d76c created
 * them (edge/webhooks/delivery/store.ts there), for tests that read rows
 * written by that code through today's object.
 */
export const LEGACY_DELIVERY_SCHEMA = `CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL, request TEXT, created INTEGER NOT NULL, body TEXT NOT NULL);
CREATE INDEX items_request ON items (request, id);
CREATE INDEX items_profile ON items (profile);
CREATE TABLE requests (id TEXT PRIMARY KEY, state TEXT NOT NULL, attempts INTEGER NOT NULL, next_at INTEGER, created INTEGER NOT NULL, updated INTEGER NOT NULL, last_status INTEGER, last_error TEXT);
CREATE INDEX requests_due ON requests (state, next_at);
CREATE INDEX requests_created ON requests (created);
CREATE TABLE attempts (id INTEGER PRIMARY KEY AUTOINCREMENT, request TEXT NOT NULL, attempt INTEGER NOT NULL, at INTEGER NOT NULL, status INTEGER, latency_ms INTEGER NOT NULL, error TEXT);
CREATE INDEX attempts_request ON attempts (request, id);
CREATE TABLE seen (profile TEXT NOT NULL, seq INTEGER NOT NULL, received INTEGER NOT NULL, PRIMARY KEY (profile, seq));
CREATE TABLE erased (profile TEXT PRIMARY KEY, at INTEGER NOT NULL);`;
