/**
 * Runs batches as a bounded pipeline: while up to `depth − 1` earlier batches are still being written, the next
 * one is fetched and its writes started, so the line to Notion does not idle at each batch's end. Batches commit
 * strictly in the order they were fetched, each only once its own writes have settled (DESIGN invariant 2).
 */

/** The steps of one pipeline run. */
export interface BatchPipelineStages<B> {
  /**
   * Fetches the next batch and starts its writes (without waiting for them); `undefined` when there is none.
   * Called one at a time. Throwing stops fetching: the batches already started still commit, then the error is
   * rethrown.
   */
  next(): Promise<B | undefined>;
  /** Waits for a batch's writes and commits it. Throwing fails the run: later batches go to `salvage`. */
  commit(batch: B): Promise<void>;
  /**
   * Waits for the writes of a batch started before an earlier one failed to commit, and records what they did
   * without moving the cursor past the failed batch.
   */
  salvage(batch: B): Promise<void>;
}

/**
 * Drives {@link BatchPipelineStages} with at most `depth` batches started and not yet committed.
 *
 * @throws the first error of `commit` (after salvaging the later batches) or else of `next` (after committing
 *   the batches already started).
 */
export async function runBatchPipeline<B>(depth: number, stages: BatchPipelineStages<B>): Promise<void> {
  const started: B[] = [];
  let fetching = true;
  let fetchError: { error: unknown } | undefined;
  for (;;) {
    while (fetching && started.length < Math.max(1, depth)) {
      try {
        const batch = await stages.next();
        if (batch === undefined) fetching = false;
        else started.push(batch);
      } catch (error) {
        fetching = false;
        fetchError = { error };
      }
    }
    const head = started.shift();
    if (head === undefined) break;
    try {
      await stages.commit(head);
    } catch (error) {
      for (const later of started.splice(0)) await stages.salvage(later);
      throw error;
    }
  }
  if (fetchError !== undefined) throw fetchError.error;
}
