/** A listener of tag topics. */
export type Listener = (...args: unknown[]) => void;

/** Whether a subscription pattern (`*`, `entity.*`, `entity.loaded`) matches a topic. */
export function topicMatches(pattern: string, topic: string): boolean {
  return pattern === "*" || pattern === topic || (pattern.endsWith(".*") && topic.startsWith(pattern.slice(0, -1)));
}

/** Topic emitter with wildcard subscriptions; `on` returns an unsubscribe function. */
export function createEmitter() {
  let subs: [string, Listener][] = [];
  const on = (pattern: string, fn: Listener): (() => void) => {
    const sub: [string, Listener] = [pattern, fn];
    subs.push(sub);
    return () => {
      subs = subs.filter((s) => s !== sub);
    };
  };
  return {
    on,
    once(pattern: string, fn: Listener): () => void {
      const off = on(pattern, (...args) => {
        off();
        fn(...args);
      });
      return off;
    },
    emit(topic: string, ...args: unknown[]): void {
      for (const [pattern, fn] of subs.slice()) {
        if (topicMatches(pattern, topic)) {
          try {
            fn(...args);
          } catch (err) {
            setTimeout(() => {
              throw err;
            });
          }
        }
      }
    },
  };
}

export type Emitter = ReturnType<typeof createEmitter>;
