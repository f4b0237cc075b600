// CPU time of the workerd processes a benchmark started (through
// `wrangler dev` or Miniflare), read from Linux /proc: less sensitive to
// other load on the machine than wall-clock rates.
import { readFileSync } from "node:fs";

/** CPU seconds (user + system) used so far by the workerd processes this process started (Linux /proc; 0 elsewhere). */
export function workerdCpuSeconds(): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  const children = (pid: number): number[] => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const walk = (pid: number) => {
    for (const child of children(pid)) {
      try {
        const stat = readFileSync(`/proc/${child}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (stat.includes("(workerd)")) total += (Number(fields[11]) + Number(fields[12])) / tick;
      } catch {}
      walk(child);
    }
  };
  walk(process.pid);
  return total;
}
