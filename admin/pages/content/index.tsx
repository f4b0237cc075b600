import { useCallback, useState } from "preact/hooks";
import { can } from "../../ui/role";
import type { PageProps } from "../types";
import { DocumentList } from "./documents";
import { CsvImport } from "./import";
import { RecommendationPreview } from "./preview";

/**
 * Content: `#content` lists documents with their topics (search, topic
 * filter, pages, topic editing); `#content/preview` shows the
 * recommendations a chosen visitor gets and why each ranked. Writers
 * import documents from a CSV file there too, with the job's progress.
 */
export default function ContentPage({ session, role, path }: PageProps) {
  const preview = path[0] === "preview";
  const [imports, setImports] = useState(0);
  const imported = useCallback(() => setImports((n) => n + 1), []);
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
        <>
          {can(role, "write") && <CsvImport session={session} onImported={imported} />}
          <DocumentList key={imports} session={session} role={role} />
        </>
      )}
    </>
  );
}
