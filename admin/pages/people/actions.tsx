import { useState } from "preact/hooks";
import { api, type Session } from "../../api";
import { Card } from "../../ui/card";
import { useConfirm } from "../../ui/confirm";
import { ErrorSummary } from "../../ui/errors";

const entityPath = (field: string, value: string) =>
  `/api/entity/user/${encodeURIComponent(field)}/${encodeURIComponent(value)}`;

/** Saves JSON as a file through a temporary link. */
function download(name: string, data: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: "application/json" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Export (a data-subject access request) and erase (GDPR/CCPA), admin only.
 * Erasing asks for the identifier to be typed again.
 */
export function PersonActions(props: {
  session: Session;
  field: string;
  value: string;
  onErased: (message: string) => void;
}) {
  const { session, field, value } = props;
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState("");
  const [ask, dialog] = useConfirm();
  const exportData = async () => {
    try {
      const res = await api<{ data: unknown }>(session, "GET", `${entityPath(field, value)}/export`);
      download(`person-${field}-${value}.json`.replace(/[^\w.@-]+/g, "_"), res.data);
      setError(undefined);
      setNotice("Export downloaded.");
    } catch (err) {
      setError(err);
    }
  };
  const erase = async () => {
    const ok = await ask({
      title: "Erase this person?",
      body: (
        <p>
          This removes the profile, every profile merged into it and every identifier link, for good. A new event from
          them starts a fresh profile.
        </p>
      ),
      confirm: "Erase permanently",
      danger: true,
      typed: value,
    });
    if (!ok) return;
    try {
      const res = await api<{ data: { request_id: string; erased_profiles: string[] } }>(
        session,
        "DELETE",
        entityPath(field, value),
      );
      const n = res.data.erased_profiles.length;
      props.onErased(`Erased ${n} profile${n === 1 ? "" : "s"} (deletion request ${res.data.request_id}).`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <Card title="Export and erase">
      <div class="row">
        <button type="button" class="secondary" onClick={exportData}>
          Export JSON
        </button>
        <button type="button" class="danger" onClick={erase}>
          Erase this person…
        </button>
      </div>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorSummary error={error} />
      {dialog}
    </Card>
  );
}
