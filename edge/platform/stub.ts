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
  return namespace.get(namespace.idFromName(name)) as unknown as T;
}
