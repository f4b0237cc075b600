/**
 * Keeps extracted topics true to the whole corpus. A document's topics are
 * extracted when it is written, against the corpus of that moment; later
 * documents change the corpus (N and document frequencies), so the earlier
 * documents' TF-IDF topics would depend on the order documents arrived in.
 * After every change of the corpus a refresh pass re-extracts the topics
 * of every document without hand-set topics, `REFRESH_BATCH` documents per
 * step (the content object runs a step per alarm), and starts over if the
 * corpus changed during the pass. When the pass ends, every document's
 * topics are `extractTopics(document, corpus)`: the same for the same
 * corpus, whatever the order of writes.
 */
import type { ContentDocument, CorpusStats } from "../contract";
import type { DocumentStore } from "../storage/doc-store";
import { extractTopics } from "./topics";

/** Documents re-extracted per step. */
export const REFRESH_BATCH = 500;

/** The pass's progress (stored in the object's meta table). */
export interface RefreshState {
  /** The corpus changes seen when the pass (re)started. */
  epoch: number;
  /** The last URL done (documents are visited in URL order). */
  cursor: string;
}

/** Meta storage the content object lends. */
export interface RefreshMeta {
  get<T>(key: string, fallback: T): T;
  set(key: string, value: unknown): void;
}

const EPOCH = "corpus_epoch";
const STATE = "topic_refresh";

/** The topic refresh of one account. */
export class TopicRefresh {
  constructor(
    private readonly meta: RefreshMeta,
    private readonly docs: DocumentStore,
  ) {}

  /** Records that the corpus changed: a pass is due. */
  corpusChanged(): void {
    this.meta.set(EPOCH, this.meta.get(EPOCH, 0) + 1);
    if (!this.meta.get<RefreshState | null>(STATE, null))
      this.meta.set(STATE, { epoch: this.meta.get(EPOCH, 0), cursor: "" });
  }

  /** Whether a pass is under way. */
  pending(): boolean {
    return this.meta.get<RefreshState | null>(STATE, null) !== null;
  }

  /**
   * Re-extracts the next batch; `write` stores the documents whose topics
   * changed. Returns whether more steps are due.
   */
  step(corpus: CorpusStats, write: (docs: ContentDocument[]) => void): boolean {
    const state = this.meta.get<RefreshState | null>(STATE, null);
    if (!state) return false;
    const batch = this.docs.after(state.cursor, REFRESH_BATCH);
    const changed: ContentDocument[] = [];
    for (const doc of batch) {
      if (doc.manual_topics) continue;
      const topics = extractTopics(doc, corpus);
      if (JSON.stringify(topics) !== JSON.stringify(doc.topics)) changed.push({ ...doc, topics });
    }
    if (changed.length) write(changed);
    const epoch = this.meta.get(EPOCH, 0);
    if (batch.length === REFRESH_BATCH) {
      this.meta.set(STATE, { epoch: state.epoch, cursor: batch[batch.length - 1]!.url });
      return true;
    }
    // The end: start over if the corpus changed since the pass began.
    if (epoch !== state.epoch) {
      this.meta.set(STATE, { epoch, cursor: "" });
      return true;
    }
    this.meta.set(STATE, null);
    return false;
  }
}
