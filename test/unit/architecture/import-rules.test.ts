import { describe, expect, it } from "vitest";
import { checkImports, readTree, type Violation } from "./import-rules";

const pairs = (vs: Violation[]) => vs.map((v) => `${v.from} → ${v.to}`);

describe("the edge's import rules", () => {
  it("hold for the source tree", () => {
    const tree = readTree(process.cwd());
    expect(tree.size).toBeGreaterThan(100);
    expect(tree.has("edge/platform/env.ts")).toBe(true);
    expect(checkImports(tree).map((v) => v.message)).toEqual([]);
  }, 60_000);
});

/** A small edge that keeps every rule; each test below breaks one. */
const good = (): Map<string, string> =>
  new Map([
    ["edge/index.ts", 'export { AccountObject } from "./accounts/account-object";\nimport { createApp } from "./app";'],
    [
      "edge/app.ts",
      'import { registerAccount } from "./accounts/routes";\nexport const createApp = () => registerAccount;',
    ],
    ["edge/platform/stub.ts", "export const stubOf = () => null;"],
    ["edge/segmentql/index.ts", "export const parse = () => null;"],
    ["edge/accounts/contract.ts", 'import type { Role } from "./roles";\nexport interface AccountRpc { role(): Role }'],
    ["edge/accounts/roles.ts", 'export const ROLES = ["admin"] as const;\nexport type Role = (typeof ROLES)[number];'],
    [
      "edge/accounts/account-object.ts",
      'import { DurableObject } from "cloudflare:workers";\nimport type { AccountRpc } from "./contract";\nexport class AccountObject extends DurableObject implements AccountRpc {}',
    ],
    [
      "edge/accounts/config.ts",
      'import { stubOf } from "../platform/stub";\nimport type { AccountRpc } from "./contract";\nexport const accountStub = () => stubOf() as AccountRpc | null;',
    ],
    ["edge/accounts/routes.ts", 'import { accountStub } from "./config";\nexport const registerAccount = accountStub;'],
    [
      "edge/profiles/service.ts",
      'import { accountStub } from "../accounts/settings/config";\nimport { parse } from "../segmentql";',
    ],
    ["types/wire.ts", "export interface CollectEvent { _e?: string }"],
    ["tag/tag.ts", 'import type { CollectEvent } from "../types/wire";\nexport type E = CollectEvent;'],
  ]);

const broken = (path: string, source: string) => checkImports(good().set(path, source));

describe("the import-rule checker", () => {
  it("accepts the fixture that keeps the rules", () => {
    expect(checkImports(good())).toEqual([]);
  });

  it("names the file pair when a lower domain imports a higher one", () => {
    const v = broken("edge/accounts/config.ts", 'import { x } from "../profiles/service";');
    expect(pairs(v)).toContain("edge/accounts/config.ts → edge/profiles/service.ts");
    expect(v.find((x) => x.to === "edge/profiles/service.ts")?.rule).toBe("1 domain order");
  });

  it("fails when platform/ imports a domain", () => {
    const v = broken("edge/platform/stub.ts", 'import type { AccountRpc } from "../accounts/contract";');
    expect(v.map((x) => [x.rule, x.from, x.to])).toEqual([
      ["4 platform/ and segmentql/ import no domain", "edge/platform/stub.ts", "edge/accounts/contract.ts"],
    ]);
  });

  it("fails when a contract holds code or imports values", () => {
    const v = broken(
      "edge/accounts/contract.ts",
      'import { ROLES } from "./roles";\nexport const all = ROLES;\nexport interface AccountRpc { role(): string }',
    );
    expect(v.filter((x) => x.rule === "2 contracts hold types only").map((x) => x.from)).toEqual([
      "edge/accounts/contract.ts",
      "edge/accounts/contract.ts",
    ]);
  });

  it("fails when anything but edge/index.ts imports a Durable Object class, even for its type", () => {
    const v = broken(
      "edge/accounts/config.ts",
      'import type { AccountObject } from "./account-object";\nexport type Rpc = Pick<AccountObject, "fetch">;',
    );
    expect(pairs(v)).toEqual(["edge/accounts/config.ts → edge/accounts/account-object.ts"]);
    expect(v[0]!.rule).toBe("3 Durable Object classes are imported only by edge/index.ts");
  });

  it("fails when anything but edge/app.ts imports a routes file", () => {
    const v = broken("edge/profiles/service.ts", 'import { registerAccount } from "../accounts/routes";');
    expect(pairs(v)).toEqual(["edge/profiles/service.ts → edge/accounts/routes.ts"]);
  });

  it("fails when browser code imports edge code", () => {
    const v = broken("tag/tag.ts", 'import { parse } from "../edge/segmentql";');
    expect(pairs(v)).toEqual(["tag/tag.ts → edge/segmentql/index.ts"]);
  });

  it("fails on an import cycle inside a domain, naming its files", () => {
    const v = broken(
      "edge/accounts/roles.ts",
      'import type { AccountRpc } from "./contract";\nexport type R = AccountRpc;',
    );
    expect(v.map((x) => x.message)).toEqual([
      "import cycle: edge/accounts/contract.ts → edge/accounts/roles.ts → edge/accounts/contract.ts",
    ]);
  });
});
