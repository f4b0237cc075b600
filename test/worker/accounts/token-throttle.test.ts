import { describe, expect, it } from "vitest";
import { admin, call, newAccount } from "../helpers";

/** `GET /api/account` with a token, from a client address (as Cloudflare's edge reports it). */
const asClient = (token: string, address: string) =>
  call("/api/account", { headers: { authorization: token, "cf-connecting-ip": address } });

async function tokenOf(cid: string): Promise<string> {
  const res = await admin(`/api/token?cid=${cid}`, "POST", { name: "owner", role: "reader" });
  expect(res.status).toBe(201);
  return (await res.json()).data.token;
}

describe("Trust #9: token guessing is throttled per client address and per account", () => {
  it("answers 429 with Retry-After to 200 wrong tokens in a burst, while the owner's valid token keeps working", async () => {
    const cid = await newAccount();
    const owner = await tokenOf(cid);
    expect((await asClient(owner, "198.51.100.7")).status).toBe(200);

    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 200; i++) {
      const res = await asClient(`pl_${cid}.guess${i}`, "203.0.113.66");
      statuses.push(res.status);
      if (res.status === 429) {
        retryAfter ??= res.headers.get("retry-after");
        expect((await res.json()).status).toBe(429);
      } else await res.body?.cancel();
    }
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(180);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);

    // The owner is not locked out: from their own address, and even from the attacker's.
    expect((await asClient(owner, "198.51.100.7")).status).toBe(200);
    expect((await asClient(owner, "203.0.113.66")).status).toBe(200);
  });

  it("throttles a concurrent burst as well: 200 wrong tokens sent at once are not all checked", async () => {
    const cid = await newAccount();
    const owner = await tokenOf(cid);
    expect((await asClient(owner, "198.51.100.9")).status).toBe(200);
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const res = await asClient(`pl_${cid}.burst${i}`, "203.0.113.77");
        await res.body?.cancel();
        return res.status;
      }),
    );
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(180);
    expect((await asClient(owner, "203.0.113.77")).status).toBe(200);
  });

  it("throttles an account guessed from many addresses, without locking out its owner", async () => {
    const cid = await newAccount();
    const owner = await tokenOf(cid);
    expect((await asClient(owner, "198.51.100.8")).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) {
      const res = await asClient(`pl_${cid}.guess${i}`, `192.0.2.${i}`);
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses.slice(0, 100).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(100).every((s) => s === 429)).toBe(true);
    expect((await asClient(owner, "198.51.100.8")).status).toBe(200);
  });
});
