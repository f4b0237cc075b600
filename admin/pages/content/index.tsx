import type { PageProps } from "../types";
import { DocumentList } from "./documents";
import { RecommendationPreview } from "./preview";

/**
 * Content: `#content` lists documents with their topics (search, topic
 * filter, pages, topic editing); `#content/preview` shows the
 * recommendations a chosen visitor gets and why each ranked.
 */
export default function ContentPage({ session, role, path }: PageProps) {
  const preview = path[0] === "preview";
  return (
    <>
      <h1>Content</h1>
      <nav aria-label="Content views" style={{ marginBottom: "1rem" }}>
        <a href="#content" aria-current={preview ? undefined : "page"}>
          Documents
        </a>
        <a href="#content/preview" aria-current={preview ? "page" : undefined}>
          Recommendation preview
        </a>
      </nav>
      {preview ? (
        <RecommendationPreview session={session} initial={path[1] ?? ""} />
      ) : (
        <DocumentList session={session} role={role} />
      )}
    </>
  );
}
