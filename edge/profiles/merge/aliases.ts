/** Most alias hops followed before giving up (merges form short chains). */
export const MAX_ALIAS_HOPS = 8;

/**
 * Follows merge aliases: calls `step` on profile `id` and, while `next`
 * names another profile in its answer (the profile was merged away, or the
 * step chose to go elsewhere), on that one — at most MAX_ALIAS_HOPS calls.
 * Returns the last answer and the id that gave it.
 */
export async function followAliases<A>(
  id: string,
  step: (id: string) => Promise<A>,
  next: (answer: A) => string | null,
): Promise<{ id: string; answer: A }> {
  let current = id;
  let answer = await step(current);
  for (let hop = 1; hop < MAX_ALIAS_HOPS; hop++) {
    const to = next(answer);
    if (to === null) return { id: current, answer };
    current = to;
    answer = await step(current);
  }
  const to = next(answer);
  return { id: to ?? current, answer };
}
