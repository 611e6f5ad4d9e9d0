import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../store.js';

/** How a backend's test file hands its store to the shared suite. */
export interface StoreConformanceOptions {
  name: string;
  create: () => Promise<Store>;
  destroy: (store: Store) => Promise<void>;
}

/** A fresh store for every test of the enclosing describe block. */
export function useFreshStore(options: StoreConformanceOptions): () => Store {
  let store: Store | undefined;
  beforeEach(async () => {
    store = await options.create();
  });
  afterEach(async () => {
    if (store !== undefined) await options.destroy(store);
    store = undefined;
  });
  return () => {
    if (store === undefined) throw new Error('The store is only available inside a test.');
    return store;
  };
}
