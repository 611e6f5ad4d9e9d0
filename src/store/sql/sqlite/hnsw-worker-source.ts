/**
 * The code of the thread that holds a store's HNSW indexes (usearch): CommonJS, run with `eval` so that it needs no
 * file of its own beside the compiled code (the tests run the TypeScript sources). It receives `{ id, op, index, … }`
 * messages, answers `{ id, result }` or `{ id, error }` in the order they came, and holds nothing but the indexes.
 * `workerData.usearch` is the path of usearch's module, resolved by the parent.
 */
export const HNSW_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const usearch = require(workerData.usearch);
/** usearch pads a result it has fewer neighbours for with the largest key. */
const MISSING = 0xffffffffffffffffn;
const indexes = new Map();

function created(message) {
  return new usearch.Index({
    dimensions: message.dimensions,
    metric: usearch.MetricKind.Cos,
    quantization: usearch.ScalarKind.I8,
    connectivity: message.hnsw.connectivity,
    expansion_add: message.hnsw.expansionAdd,
    expansion_search: message.hnsw.expansionSearch,
    multi: false,
  });
}

function indexOf(message) {
  const index = indexes.get(message.index);
  if (index === undefined) throw new Error('no such index: ' + message.index);
  return index;
}

const operations = {
  create(message) {
    indexes.set(message.index, created(message));
    return { size: 0 };
  },
  load(message) {
    const index = created(message);
    index.load(message.path);
    indexes.set(message.index, index);
    return { size: index.size() };
  },
  add(message) {
    const index = indexOf(message);
    const keys = BigUint64Array.from(message.seqs, (seq) => BigInt(seq));
    for (const key of keys) if (index.contains(key) === true) index.remove(key);
    index.add(keys, message.matrix, 0);
    return { size: index.size() };
  },
  remove(message) {
    const index = indexOf(message);
    for (const seq of message.seqs) {
      const key = BigInt(seq);
      if (index.contains(key) === true) index.remove(key);
    }
    return { size: index.size() };
  },
  search(message) {
    const index = indexOf(message);
    const size = index.size();
    if (size === 0 || message.count < 1) return { seqs: new Float64Array(0), distances: new Float32Array(0) };
    const found = index.search(message.vector, Math.min(message.count, size), 1);
    const seqs = [];
    const distances = [];
    found.keys.forEach((key, position) => {
      if (key === MISSING) return;
      seqs.push(Number(key));
      distances.push(found.distances[position] ?? 1);
    });
    return { seqs: Float64Array.from(seqs), distances: Float32Array.from(distances) };
  },
  save(message) {
    const index = indexOf(message);
    index.save(message.path);
    return { size: index.size() };
  },
  drop(message) {
    indexes.delete(message.index);
    return { size: 0 };
  },
};

parentPort.on('message', (message) => {
  try {
    const operation = operations[message.op];
    if (operation === undefined) throw new Error('unknown operation: ' + message.op);
    const result = operation(message);
    const transfer = result.seqs === undefined ? [] : [result.seqs.buffer, result.distances.buffer];
    parentPort.postMessage({ id: message.id, result }, transfer);
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
`;
