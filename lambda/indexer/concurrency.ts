/**
 * Runs `work` over `items` with at most `limit` in flight, pulling from the iterable lazily so a listing of
 * 100,000 keys is never turned into 100,000 pending promises. The first failure stops new work, waits for the
 * work in flight and is rethrown: one unreadable object aborts its whole repository update.
 */
export async function forEachLimited<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const iterator =
    Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  let exhausted = false;
  // Pulling from the iterator is serialized: async iterators must not be called concurrently.
  let pulling: Promise<unknown> = Promise.resolve();
  const next = (): Promise<IteratorResult<T>> => {
    const result = pulling.then(() => iterator.next());
    pulling = result.catch(() => undefined);
    return result;
  };
  const worker = async (): Promise<void> => {
    while (failure === undefined && !exhausted) {
      let step: IteratorResult<T>;
      try {
        step = await next();
      } catch (error) {
        failure ??= { error };
        return;
      }
      if (step.done) {
        exhausted = true;
        return;
      }
      if (failure !== undefined) return;
      try {
        await work(step.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
  if (failure !== undefined) throw failure.error;
}
