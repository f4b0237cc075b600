import { mergeActivity } from "../scores";
import type { ProfileSnapshot } from "../contract";
import { readActivity } from "../fields/profile-activity";
import type { ProfileStores } from "../storage/profile-stores";

/**
 * The merge SQL: folds a retired profile's snapshot into the stores of its
 * survivor. Observations add up (earliest first, latest last, counts summed),
 * identifiers, seen event ids and absorbed ids unite, the earlier creation
 * time wins. Run it in one transaction and drop the stores' caches around it.
 */
export function absorbSnapshot(s: ProfileStores, source: ProfileSnapshot): void {
  const sql = s.sql;
  let seqs = s.meta.num("obs_seq");
  for (const o of source.observations) {
    sql.exec(
      `INSERT INTO obs (name, value, first, last, count, fseq, lseq) VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(name, value) DO UPDATE SET first = MIN(first, excluded.first), last = MAX(last, excluded.last), count = count + excluded.count,
           fseq = CASE WHEN excluded.first < first THEN excluded.fseq ELSE fseq END,
           lseq = CASE WHEN excluded.last > last OR (excluded.last = last AND excluded.lseq > lseq) THEN excluded.lseq ELSE lseq END`,
      o.name,
      o.value,
      o.first,
      o.last,
      o.count,
      o.fseq ?? 0,
      o.lseq ?? 0,
    );
    seqs = Math.max(seqs, o.fseq ?? 0, o.lseq ?? 0);
  }
  for (const k of source.identifiers)
    sql.exec("INSERT OR IGNORE INTO ids (field, value) VALUES (?, ?)", k.field, k.value);
  for (const e of source.seen) sql.exec("INSERT OR IGNORE INTO seen (eid, ts) VALUES (?, ?)", e.eid, e.ts);
  for (const m of [source.id, ...source.merged]) sql.exec("INSERT OR IGNORE INTO absorbed (id) VALUES (?)", m);
  s.membership.absorbManual(source.manual ?? { assigned: [], removed: [] });
  if (source.content) s.content.absorb(source.content);
  if (source.experiences) s.xp.absorb(source.experiences);
  if (source.recent) s.recent.insert(source.recent);
  // Events after the merge come after every absorbed one.
  s.meta.set("obs_seq", seqs);
  s.meta.set("created", Math.min(s.meta.num("created") || source.created, source.created));
  s.meta.set("sessions", s.meta.num("sessions") + source.sessions);
  s.meta.set("events", s.meta.num("events") + source.events);
  const visits = [s.meta.num("first_visit"), source.firstVisit].filter((t) => t > 0);
  if (visits.length) s.meta.set("first_visit", Math.min(...visits));
  const last = Math.max(s.meta.num("last_visit"), source.lastVisit);
  if (last > 0) s.meta.set("last_visit", last);
  s.meta.set("modified", Date.now());
  if (source.activity) {
    const merged = mergeActivity(readActivity(s.meta.get("activity")), readActivity(source.activity));
    s.meta.set("activity", JSON.stringify(merged));
  }
}
