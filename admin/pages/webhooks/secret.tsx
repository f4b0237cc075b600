import { useState } from "preact/hooks";

/** A signing secret shown once, with a copy button. */
export function SecretOnce({ secret, title }: { secret: string; title: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <section class="card" aria-label={title} style={{ borderColor: "var(--ok)" }}>
      <h2>{title}</h2>
      <p>
        Copy it now: it is not shown again. Receivers verify each request's <code>webhook-signature</code> with it
        (Standard Webhooks).
      </p>
      <div class="row" style={{ alignItems: "center" }}>
        <code id="signing-secret" style={{ wordBreak: "break-all" }}>
          {secret}
        </code>
        <button
          type="button"
          class="secondary"
          onClick={() =>
            navigator.clipboard?.writeText(secret).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
    </section>
  );
}
