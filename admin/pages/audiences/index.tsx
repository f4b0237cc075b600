import type { PageProps } from "../types";
import { AudienceEditor } from "./editor";
import { AudienceList } from "./list";

/**
 * Audiences: `#audiences` lists them, `#audiences/new` creates one,
 * `#audiences/<id>` edits one (rule builder beside its SegmentQL, members,
 * size over time).
 */
export default function AudiencesPage({ session, role, path }: PageProps) {
  const id = path[0];
  if (!id) return <AudienceList session={session} role={role} />;
  return <AudienceEditor key={id} session={session} role={role} id={id === "new" ? null : id} />;
}
