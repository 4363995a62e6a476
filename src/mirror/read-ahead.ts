/**
 * Yields the items of `source`, asking for the next one as soon as the current one is handed out: the
 * next page of query results is fetched while the caller still works on the current page (its bodies),
 * so the query's round trip does not leave the pacer idle between batches. At most one item is read
 * ahead; when the caller stops early, that item is dropped (nothing was committed for it).
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const current = await next;
      if (current.done === true) return;
      next = iterator.next();
      // A failure of the read-ahead surfaces when it is awaited, not as an unhandled rejection meanwhile.
      next.catch(() => {});
      yield current.value;
    }
  } finally {
    await iterator.return?.();
  }
}
