/**
 * Live preview: the real `pathfora.min.js` renders the configuration in a
 * sandboxed frame (`sandbox="allow-scripts"`, no same-origin, so it can
 * reach neither the console's token nor its storage). Every change is
 * posted to the frame, which re-renders the widget.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { Factory, JsonObject } from "./model";

export function Preview({ factory, config, label }: { factory: Factory; config: JsonObject; label: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [ready, setReady] = useState(false);
  const [problem, setProblem] = useState("");
  useEffect(() => {
    const on = (e: MessageEvent) => {
      if (!frame.current || e.source !== frame.current.contentWindow) return;
      const data = e.data as { type?: string; ok?: boolean; error?: string } | null;
      if (data?.type === "pathlight-preview-ready") setReady(true);
      if (data?.type === "pathlight-preview-rendered") setProblem(data.ok ? "" : (data.error ?? "could not render"));
    };
    addEventListener("message", on);
    return () => removeEventListener("message", on);
  }, []);
  const message = JSON.stringify({ factory, config });
  useEffect(() => {
    if (!ready) return;
    // The frame's origin is opaque, so "*" is the only target that reaches it; the configuration is not secret.
    frame.current?.contentWindow?.postMessage({ type: "pathlight-preview", factory, config }, "*");
  }, [ready, message]);
  return (
    <figure class="preview">
      <iframe
        ref={frame}
        title={`Preview of ${label}`}
        src="/admin/preview.html"
        sandbox="allow-scripts"
        data-ready={ready ? "true" : "false"}
      />
      <figcaption class="muted">
        Preview rendered by pathfora.min.js
        {factory === "Message" && config.variant === "3" ? " (recommendations load on the site)" : ""}.
        {problem && <span class="error-text"> Pathfora says: {problem}</span>}
      </figcaption>
    </figure>
  );
}
