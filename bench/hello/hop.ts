// The bench's hello world behind one service binding (bench/edge.ts, on
// workerd directly): what one hop from one worker to another costs. The
// assets router in front of a worker with `run_worker_first` is such hops
// (locally three: Miniflare's entry proxy, the router's outer and inner
// entrypoints, each handing the request on to the next).
interface Env {
  /** The hello world (bench/hello/index.ts). */
  NEXT: Fetcher;
}

export default {
  fetch(request: Request, env: Env) {
    return env.NEXT.fetch(request);
  },
} satisfies ExportedHandler<Env>;
