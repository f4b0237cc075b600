/**
 * A confirmation dialog (the native `<dialog>`, modal): Escape or Cancel
 * says no, focus starts on Cancel and returns where it was. With `typed`,
 * the confirm button stays disabled until that exact text is typed (for
 * what cannot be undone, such as erasing a person).
 */
import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

/** What to ask. */
export interface ConfirmRequest {
  title: string;
  body?: ComponentChildren;
  /** Label of the confirm button ("Publish", "Archive", …). */
  confirm: string;
  /** Red confirm button for destructive actions. */
  danger?: boolean;
  /** Text the user must type to confirm. */
  typed?: string;
}

/** The dialog; `onClose(true)` when confirmed. */
export function ConfirmDialog({
  request,
  onClose,
}: {
  request: ConfirmRequest;
  onClose: (confirmed: boolean) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const [typed, setTyped] = useState("");
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    cancel.current?.focus();
    return () => {
      if (dialog.open) dialog.close();
      before?.focus?.();
    };
  }, []);
  const ready = !request.typed || typed === request.typed;
  return (
    <dialog
      ref={ref}
      class="confirm"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose(false);
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) onClose(true);
        }}
      >
        <h2 id="confirm-title">{request.title}</h2>
        {request.body && <div class="confirm-body">{request.body}</div>}
        {request.typed && (
          <>
            <label for="confirm-typed">
              Type <code>{request.typed}</code> to confirm
            </label>
            <input
              id="confirm-typed"
              autocomplete="off"
              value={typed}
              onInput={(e) => setTyped((e.target as HTMLInputElement).value)}
            />
          </>
        )}
        <div class="row">
          <button ref={cancel} type="button" class="secondary" onClick={() => onClose(false)}>
            Cancel
          </button>
          <button type="submit" class={request.danger ? "danger" : undefined} disabled={!ready}>
            {request.confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}

/**
 * `const [ask, dialog] = useConfirm();` then `if (await ask({...})) …` and
 * render `{dialog}` somewhere in the page.
 */
export function useConfirm(): [(request: ConfirmRequest) => Promise<boolean>, ComponentChildren] {
  const [pending, setPending] = useState<{ request: ConfirmRequest; resolve: (ok: boolean) => void } | null>(null);
  const ask = useCallback(
    (request: ConfirmRequest) => new Promise<boolean>((resolve) => setPending({ request, resolve })),
    [],
  );
  const dialog = pending ? (
    <ConfirmDialog
      request={pending.request}
      onClose={(ok) => {
        pending.resolve(ok);
        setPending(null);
      }}
    />
  ) : null;
  return [ask, dialog];
}
