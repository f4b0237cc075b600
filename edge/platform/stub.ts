/**
 * The one place a Durable Object stub gets its RPC type.
 *
 * Bindings in `Env` are typed without naming the object classes (so that
 * `platform/` imports no domain and no class file is imported outside
 * `edge/index.ts`). A domain describes what its object answers in its
 * `contract.ts` (an interface the class `implements`) and asks for a stub of
 * that interface here.
 */

/**
 * A stub of the object named `name` in `namespace`, typed by the RPC
 * interface `T` that the object's class implements.
 *
 * The single documented cast of the edge: workerd's `DurableObjectStub<C>`
 * derives its RPC methods from the class `C` itself. Typing it by an
 * interface instead keeps callers independent of the class; the compiler
 * still checks the other side, because each class declares
 * `implements <Contract>`.
 */
export function stubOf<T extends object>(namespace: DurableObjectNamespace, name: string): T {
  return namespace.get(idOf(namespace, name)) as unknown as T;
}

/** How many object ids an isolate keeps per namespace (the oldest is dropped first). */
const MAX_KEPT_IDS = 10_000;

/** Object ids by name, per namespace: an id is a value (no I/O), so it outlives the request that derived it. */
const keptIds = new WeakMap<DurableObjectNamespace, Map<string, DurableObjectId>>();

/**
 * The id of the object named `name`: derived once per isolate (`idFromName`
 * hashes the name on every call; a returning visitor's profile is named on
 * each of their requests), the stub itself is made per call as before.
 */
function idOf(namespace: DurableObjectNamespace, name: string): DurableObjectId {
  let byName = keptIds.get(namespace);
  if (!byName) keptIds.set(namespace, (byName = new Map()));
  let id = byName.get(name);
  if (!id) {
    id = namespace.idFromName(name);
    if (byName.size >= MAX_KEPT_IDS) byName.delete(byName.keys().next().value!);
    byName.set(name, id);
  }
  return id;
}
