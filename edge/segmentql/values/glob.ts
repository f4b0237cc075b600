/**
 * LIKE patterns: `*` matches any run of characters (including none), every
 * other character matches itself; the whole value must match. Callers
 * lower-case both sides (LIKE is case-insensitive). No regular expressions:
 * both matchers run in O(pattern × value) at worst, so hostile patterns
 * cannot make evaluation hang.
 */

/** A precompiled LIKE pattern. */
export type GlobMatcher = (s: string) => boolean;

/**
 * Compiles a pattern into a matcher: literal segments between stars are
 * matched greedily left to right (prefix, then each middle segment at its
 * first occurrence, then suffix), which is exact for `*`-only globs.
 */
export function compileGlob(pattern: string): GlobMatcher {
  const segs = pattern.split("*");
  if (segs.length === 1) return (s) => s === pattern;
  const prefix = segs[0] as string;
  const suffix = segs[segs.length - 1] as string;
  const middle = segs.slice(1, -1).filter((x) => x.length > 0);
  const min = prefix.length + suffix.length + middle.reduce((n, x) => n + x.length, 0);
  if (middle.length === 0) {
    if (prefix === "" && suffix === "") return () => true;
    if (suffix === "") return (s) => s.startsWith(prefix);
    if (prefix === "") return (s) => s.endsWith(suffix);
    return (s) => s.length >= min && s.startsWith(prefix) && s.endsWith(suffix);
  }
  if (middle.length === 1 && prefix === "" && suffix === "") {
    const only = middle[0] as string;
    return (s) => s.includes(only);
  }
  return (s) => {
    if (s.length < min || !s.startsWith(prefix) || !s.endsWith(suffix)) return false;
    let pos = prefix.length;
    const end = s.length - suffix.length;
    for (let i = 0; i < middle.length; i++) {
      const seg = middle[i] as string;
      const at = s.indexOf(seg, pos);
      if (at < 0 || at + seg.length > end) return false;
      pos = at + seg.length;
    }
    return true;
  };
}

/**
 * Reference matcher used by the naive evaluator: the textbook dynamic
 * programme over (pattern position, value position), one row at a time.
 */
export function globMatchNaive(pattern: string, s: string): boolean {
  let prev: boolean[] = new Array<boolean>(s.length + 1).fill(false);
  prev[0] = true;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    const row: boolean[] = new Array<boolean>(s.length + 1).fill(false);
    if (p === "*") {
      row[0] = prev[0] as boolean;
      for (let j = 1; j <= s.length; j++) row[j] = (prev[j] as boolean) || (row[j - 1] as boolean);
    } else {
      for (let j = 1; j <= s.length; j++) row[j] = (prev[j - 1] as boolean) && s[j - 1] === p;
    }
    prev = row;
  }
  return prev[s.length] as boolean;
}
