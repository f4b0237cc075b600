import type { IdentityKey } from "./contract";

/**
 * Splits a batch's groups of events into lanes that may run concurrently.
 * Groups that share any identifier (the same field and value) may belong to
 * the same person, so they share a lane and keep their order in it; groups
 * with no identifier in common are different people as far as this batch
 * can tell (whatever the directory already links is settled by its claims
 * and merges, as for concurrent requests). Returns the lanes as lists of
 * group positions, each in ascending order, lanes ordered by their first group.
 */
export function personLanes<G>(groups: readonly G[], keysOf: (group: G) => readonly IdentityKey[]): number[][] {
  // Union-find over group positions, joined through the identifiers they carry.
  const parent = groups.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const owner = new Map<string, number>();
  groups.forEach((group, i) => {
    for (const key of keysOf(group)) {
      const sig = `${key.field}\u0000${key.value}`;
      const other = owner.get(sig);
      if (other === undefined) owner.set(sig, i);
      else {
        const a = find(i);
        const b = find(other);
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  });
  const lanes = new Map<number, number[]>();
  groups.forEach((_, i) => {
    const root = find(i);
    let lane = lanes.get(root);
    if (!lane) lanes.set(root, (lane = []));
    lane.push(i);
  });
  return [...lanes.values()];
}
