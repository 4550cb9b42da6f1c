/**
 * One unit of a bulk pass, run by a worker thread (or in the calling thread
 * when there are none): for a slice of articles, their story links or their
 * related lists, through the same steps as the incremental engine
 * (`related-list.ts`) over the in-memory index.
 */
import { type BulkIndexData, memorySource } from './related-bulk-index.js';
import { firstCandidates, relatedList, storyLinkOf } from './related-list.js';

export type BulkTask =
  /** The position of each article's story link, -1 for none. */
  | { kind: 'links'; positions: Int32Array }
  /** Each article's list: up to `limit` ids and scores per article (id 0 after the last). */
  | { kind: 'lists'; positions: Int32Array; limit: number };

export interface BulkResult {
  positions: Int32Array;
  links?: Int32Array;
  ids?: Int32Array;
  scores?: Float64Array;
}

export type Source = ReturnType<typeof memorySource>;

export const sourceOf = (data: BulkIndexData): Source => memorySource(data);

export async function runTask(source: Source, task: BulkTask): Promise<BulkResult> {
  const { positions } = task;
  if (task.kind === 'links') {
    const links = new Int32Array(positions.length).fill(-1);
    for (let i = 0; i < positions.length; i++) {
      const doc = source.doc(positions[i] as number);
      const link = await storyLinkOf(source, doc, await firstCandidates(source, doc));
      if (link) links[i] = source.position(link.id);
    }
    return { positions, links };
  }
  const ids = new Int32Array(positions.length * task.limit);
  const scores = new Float64Array(positions.length * task.limit);
  for (let i = 0; i < positions.length; i++) {
    const doc = source.doc(positions[i] as number);
    const ranked = await relatedList(source, doc, await firstCandidates(source, doc), task.limit);
    for (const [k, r] of ranked.entries()) {
      ids[i * task.limit + k] = r.id;
      scores[i * task.limit + k] = r.score;
    }
  }
  return { positions, ids, scores };
}
