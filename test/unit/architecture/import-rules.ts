/**
 * The edge's dependency rules, checked on the import statements of the
 * source tree (see README, "Architecture"):
 *
 * 1. Domains are ordered; a file imports only its own domain or lower ones.
 * 2. A domain's `contract.ts` holds types only and imports with `import type`.
 * 3. A Durable Object class file is imported only by `edge/index.ts`; a
 *    routes file only by `edge/app.ts`.
 * 4. `platform/` and `segmentql/` import no domain; browser code (`tag/`,
 *    `widgets/`, `admin/`) imports only `types/` and itself; `types/` imports
 *    nothing of the project.
 * 5. No import cycles, between files of one domain either.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, posix } from "node:path";
import ts from "typescript";

/** Rank of each edge domain: a file may import domains of a lower rank. */
export const DOMAIN_RANK: Readonly<Record<string, number>> = {
  platform: 0,
  segmentql: 0,
  accounts: 1,
  identity: 2,
  profiles: 3,
  audiences: 4,
  webhooks: 5,
  content: 6,
  experiences: 7,
  collect: 8,
  collections: 9,
  segmenthub: 9,
  site: 9,
};

/** Files at the top of the edge: they wire the domains together. */
const EDGE_ROOTS = new Set(["edge/index.ts", "edge/app.ts", "edge/queue.ts"]);
const BROWSER = new Set(["tag", "widgets", "admin"]);

/** A broken rule: which, and the file pair (importer → imported) that breaks it. */
export interface Violation {
  rule: string;
  from: string;
  to: string;
  message: string;
}

interface ImportRef {
  /** Resolved repository path, or null for a package import. */
  target: string | null;
  spec: string;
  typeOnly: boolean;
}

/** Source files of the checked folders, by repository-relative path. */
export function readTree(root: string, folders = ["edge", "tag", "widgets", "admin", "types"]): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(path);
      else if (/\.(ts|tsx)$/.test(e.name)) files.set(path, readFileSync(join(root, path), "utf8"));
    }
  };
  for (const f of folders) walk(f);
  return files;
}

function resolve(from: string, spec: string, files: Map<string, string>): string | null {
  if (!spec.startsWith(".")) return null;
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`])
    if (files.has(candidate)) return candidate;
  return base;
}

function importsOf(path: string, source: string, files: Map<string, string>): ImportRef[] {
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, false);
  const out: ImportRef[] = [];
  const add = (spec: string, typeOnly: boolean) => out.push({ target: resolve(path, spec, files), spec, typeOnly });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const allTypes =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, allTypes);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const lit = node.argument.literal;
      if (ts.isStringLiteral(lit)) add(lit.text, true);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The edge domain of a path (`edge/<domain>/…`), "root" for the files at the top of edge/, else null. */
export function domainOf(path: string): string | null {
  const parts = path.split("/");
  if (parts[0] !== "edge") return null;
  if (parts.length === 2) return "root";
  return parts[1]!;
}

const isDurableObjectClassFile = (source: string) => /\bclass\s+\w+\s+extends\s+DurableObject\b/.test(source);
const isRoutesFile = (path: string) => /(^|\/|-)routes\.ts$/.test(path);
const isContract = (path: string) => /^edge\/[^/]+\/contract\.ts$/.test(path);

function contractViolations(path: string, source: string): Violation[] {
  const sf = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, false);
  const out: Violation[] = [];
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) continue;
    if (ts.isImportDeclaration(st) && st.importClause?.isTypeOnly) continue;
    if (ts.isExportDeclaration(st) && st.isTypeOnly) continue;
    const spec =
      (ts.isImportDeclaration(st) || ts.isExportDeclaration(st)) &&
      st.moduleSpecifier &&
      ts.isStringLiteral(st.moduleSpecifier)
        ? st.moduleSpecifier.text
        : "";
    out.push({
      rule: "2 contracts hold types only",
      from: path,
      to: spec,
      message: `${path}: "${st.getText(sf).split("\n")[0]}" is not a type declaration or an \`import type\``,
    });
  }
  return out;
}

/** Every broken rule of a source tree (paths relative to the repository, `/`-separated). */
export function checkImports(files: Map<string, string>): Violation[] {
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  for (const [from, source] of files) {
    const fromDomain = domainOf(from);
    const top = from.split("/")[0]!;
    const edges: string[] = [];
    if (isContract(from)) violations.push(...contractViolations(from, source));
    for (const ref of importsOf(from, source, files)) {
      const to = ref.target;
      if (to === null) continue;
      if (files.has(to)) edges.push(to);
      const pair = { from, to };
      const toTop = to.split("/")[0]!;
      const toDomain = domainOf(to);
      if (BROWSER.has(top) && toTop !== top && toTop !== "types")
        violations.push({
          rule: "4 browser code imports only types/",
          ...pair,
          message: `${from} → ${to}: browser code may import only types/`,
        });
      if (top === "types" && toTop !== "types")
        violations.push({
          rule: "4 types/ imports nothing",
          ...pair,
          message: `${from} → ${to}: types/ is wire types only`,
        });
      if (fromDomain === null || toDomain === null) continue;
      const toSource = files.get(to);
      if (toSource !== undefined && isDurableObjectClassFile(toSource) && from !== "edge/index.ts")
        violations.push({
          rule: "3 Durable Object classes are imported only by edge/index.ts",
          ...pair,
          message: `${from} → ${to}: a Durable Object class is imported only by edge/index.ts (use the domain's contract and platform/stub.ts)`,
        });
      if (isRoutesFile(to) && from !== "edge/app.ts")
        violations.push({
          rule: "3 routes files are imported only by edge/app.ts",
          ...pair,
          message: `${from} → ${to}: a routes file is imported only by edge/app.ts`,
        });
      if (fromDomain === toDomain || fromDomain === "root") continue;
      if (toDomain === "root") {
        violations.push({
          rule: "1 domain order",
          ...pair,
          message: `${from} → ${to}: domains never import edge/*.ts`,
        });
        continue;
      }
      if (
        (fromDomain === "platform" || fromDomain === "segmentql") &&
        toDomain !== "platform" &&
        toDomain !== "segmentql"
      ) {
        violations.push({
          rule: "4 platform/ and segmentql/ import no domain",
          ...pair,
          message: `${from} → ${to}: ${fromDomain}/ imports no domain`,
        });
        continue;
      }
      if (fromDomain === "segmentql" && toDomain === "platform") {
        violations.push({
          rule: "4 platform/ and segmentql/ import no domain",
          ...pair,
          message: `${from} → ${to}: segmentql/ is a pure engine`,
        });
        continue;
      }
      const a = DOMAIN_RANK[fromDomain];
      const b = DOMAIN_RANK[toDomain];
      if (a === undefined || b === undefined) {
        violations.push({
          rule: "1 domain order",
          ...pair,
          message: `${from} → ${to}: unknown domain (add it to DOMAIN_RANK)`,
        });
      } else if (b >= a) {
        violations.push({
          rule: "1 domain order",
          ...pair,
          message: `${from} → ${to}: ${fromDomain} may import only lower domains, and ${toDomain} is not lower`,
        });
      }
    }
    graph.set(from, edges);
  }
  for (const cycle of cyclesOf(graph))
    violations.push({
      rule: "5 no import cycles",
      from: cycle[0]!,
      to: cycle[1]!,
      message: `import cycle: ${[...cycle, cycle[0]].join(" → ")}`,
    });
  return violations;
}

/** One cycle per strongly connected component of more than one file (Tarjan). */
function cyclesOf(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(pathThrough(graph, new Set(component), component[component.length - 1]!));
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
  return out;
}

/** A concrete cycle inside a strongly connected component, starting at `start`. */
function pathThrough(graph: Map<string, string[]>, members: Set<string>, start: string): string[] {
  const prev = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const path = [v];
        let u = v;
        while (u !== start) {
          u = prev.get(u)!;
          path.unshift(u);
        }
        return path;
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start];
}
