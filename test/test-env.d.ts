// Test-only typing: response bodies in tests are read as `any` so
// assertions can reach into them; production code keeps `unknown`.
export {};
declare global {
  interface Body {
    json<T = any>(): Promise<T>;
  }
}
