import { describe, expect, it } from "vitest";
import type { BudgetCounter, LocalBudget } from "../../../../edge/content/contract";
import {
  DEFAULT_RATE,
  acceptLease,
  emptyCounter,
  emptyLocalBudget,
  grantLease,
  leaseSize,
  takeToken,
} from "../../../../edge/content/ranking/rate-limit";

const T0 = 1_700_000_000_000;

/**
 * An account's budget served by `isolates` isolates sharing one counter,
 * under `perMs` requests per millisecond spread at random over the
 * isolates, for `ms` milliseconds. Isolate clocks are off by up to `skew`.
 */
function simulate(opts: { isolates: number; perMs: number; ms: number; rate?: number; skew?: number; seed?: number }) {
  const rate = opts.rate ?? DEFAULT_RATE;
  let seed = opts.seed ?? 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  let counter: BudgetCounter = emptyCounter();
  const locals: LocalBudget[] = Array.from({ length: opts.isolates }, emptyLocalBudget);
  const skews = locals.map(() => Math.round((rnd() * 2 - 1) * (opts.skew ?? 0)));
  const admitted: number[] = [];
  const denied: { at: number; retryAfter: number }[] = [];
  let counterCalls = 0;
  for (let ms = 0; ms < opts.ms; ms++) {
    for (let r = 0; r < opts.perMs; r++) {
      const i = Math.floor(rnd() * opts.isolates);
      const now = T0 + ms + skews[i]!;
      let d = takeToken(locals[i]!, now);
      if (d.decision === "lease") {
        counterCalls++;
        const g = grantLease(counter, leaseSize(rate), rate, T0 + ms);
        counter = g.counter;
        d = takeToken(acceptLease(d.local, g.lease, now), now);
      }
      locals[i] = d.local;
      if (d.decision === "allow") admitted.push(T0 + ms);
      else if (d.decision === "deny") denied.push({ at: ms, retryAfter: d.retryAfter });
      else throw new Error("a fresh lease must decide");
    }
  }
  const perWindow = new Map<number, number>();
  for (const t of admitted) perWindow.set(Math.floor(t / 1000), (perWindow.get(Math.floor(t / 1000)) ?? 0) + 1);
  let maxSliding = 0;
  for (let lo = 0, hi = 0; hi < admitted.length; hi++) {
    while (admitted[hi]! - admitted[lo]! >= 1000) lo++;
    maxSliding = Math.max(maxSliding, hi - lo + 1);
  }
  return { admitted, perWindow: [...perWindow.values()], maxSliding, denied, counterCalls };
}

describe("request budget across isolates", () => {
  it("admits at most the rate per second from many isolates under a 4x burst", () => {
    const sim = simulate({ isolates: 30, perMs: 1, ms: 5000 });
    expect(sim.perWindow).toHaveLength(5);
    for (const n of sim.perWindow) expect(n).toBeLessThanOrEqual(DEFAULT_RATE);
    expect(sim.maxSliding).toBeLessThanOrEqual(2 * DEFAULT_RATE);
    // Under-admission is bounded by the tokens isolates may strand: N × (lease − 1).
    for (const n of sim.perWindow) expect(n).toBeGreaterThanOrEqual(DEFAULT_RATE - 30 * (leaseSize(DEFAULT_RATE) - 1));
    expect(sim.denied.length).toBe(5000 - sim.admitted.length);
  });

  it("stays within twice the rate over any second when isolate clocks are skewed", () => {
    const sim = simulate({ isolates: 50, perMs: 3, ms: 4000, skew: 300, seed: 11 });
    expect(sim.maxSliding).toBeLessThanOrEqual(2 * DEFAULT_RATE);
    // Window ends are corrected to each isolate's clock, so aligned seconds hold too.
    for (const n of sim.perWindow) expect(n).toBeLessThanOrEqual(DEFAULT_RATE);
    expect(sim.admitted.length).toBeGreaterThan(4 * DEFAULT_RATE * 0.5);
  });

  it("admits everything below the rate, with about one counter call per lease", () => {
    const sim = simulate({ isolates: 4, perMs: 1, ms: 3000, rate: 2000 });
    expect(sim.denied).toHaveLength(0);
    expect(sim.counterCalls).toBeLessThan(3000 / 10);
  });

  it("answers denied requests with Retry-After up to the next window, at least 1 s", () => {
    const sim = simulate({ isolates: 3, perMs: 2, ms: 1000, rate: 10 });
    expect(sim.admitted).toHaveLength(10);
    expect(sim.denied.every((d) => d.retryAfter === 1)).toBe(true);
  });
});

describe("counter and local budget", () => {
  it("grants what is left, less as the budget runs out, and resets each window", () => {
    let c = emptyCounter();
    const grants: number[] = [];
    for (let i = 0; i < 40; i++) {
      const g = grantLease(c, 10, 100, T0 + 10);
      c = g.counter;
      grants.push(g.lease.tokens);
    }
    expect(grants.reduce((a, b) => a + b)).toBe(100);
    expect(grants.slice(0, 3)).toEqual([10, 10, 10]);
    expect(grants.at(-1)).toBe(0);
    expect(grantLease(c, 10, 100, T0 + 1000).lease).toEqual({ tokens: 10, until: T0 + 2000, now: T0 + 1000 });
  });

  it("spends leased tokens, asks again when out, denies once the counter is out", () => {
    let local = acceptLease(emptyLocalBudget(), { tokens: 2, until: T0 + 1000, now: T0 }, T0);
    expect(takeToken(local, T0).decision).toBe("allow");
    local = takeToken(takeToken(local, T0).local, T0).local;
    expect(takeToken(local, T0 + 1).decision).toBe("lease");
    local = acceptLease(local, { tokens: 0, until: T0 + 1000, now: T0 + 1 }, T0 + 1);
    expect(takeToken(local, T0 + 1)).toMatchObject({ decision: "deny", retryAfter: 1 });
    expect(takeToken(local, T0 + 1000).decision).toBe("lease");
    // A skewed isolate (clock 300 ms ahead) keeps the counter's window.
    const ahead = acceptLease(emptyLocalBudget(), { tokens: 5, until: T0 + 1000, now: T0 + 900 }, T0 + 1200);
    expect(ahead).toEqual({ tokens: 5, until: T0 + 1300, window: T0 + 1000, spent: false });
    expect(takeToken(ahead, T0 + 1250).decision).toBe("allow");
    expect(takeToken(ahead, T0 + 1300).decision).toBe("lease");
  });

  it("sizes leases from the rate", () => {
    expect([1, 25, 250, 1000, 100_000].map(leaseSize)).toEqual([1, 1, 10, 40, 100]);
  });
});
