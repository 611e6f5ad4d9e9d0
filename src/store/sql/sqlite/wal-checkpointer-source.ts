/**
 * The code of the thread that checkpoints a SQLite file's write-ahead log, so that copying the log back into the
 * database and syncing it never runs inside a COMMIT on the main thread's event loop. CommonJS, run with `eval` (no
 * file of its own beside the compiled code; the tests run the TypeScript sources). `workerData`: `betterSqlite3` (the
 * module's path, resolved by the parent), `path`, `intervalMs`, `restartFrames`, `busyTimeoutMs`.
 *
 * Every `intervalMs`, when another connection has committed since the last look, it runs a PASSIVE checkpoint: it
 * copies what it can and blocks no one. A PASSIVE checkpoint never makes the log start again from its beginning, so
 * once the log holds `restartFrames` frames it asks the parent to hold its writes (`{ type: 'pause' }`), and when the
 * parent answers `paused` (no write transaction open) it runs a RESTART checkpoint — by then only the frames since the
 * last PASSIVE one are left to copy — and answers `{ type: 'resume', … }` whatever the outcome; `skip` instead of
 * `paused` drops that RESTART. `close` ends the thread after any checkpoint in progress.
 */
export const WAL_CHECKPOINTER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const connection = new Database(workerData.path, { fileMustExist: true });
connection.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
connection.pragma('wal_autocheckpoint = 0');
const dataVersion = connection.prepare('PRAGMA data_version').pluck();
// Not a version PRAGMA data_version gives: the first look checkpoints at once (the log that started the thread is
// already long; commits made while the thread started would otherwise wait for the next one to be seen).
let seenVersion = -1;
let waitingForPause = false;

function checkpoint(mode) {
  const row = connection.pragma('wal_checkpoint(' + mode + ')')[0];
  return { busy: row.busy, log: row.log, checkpointed: row.checkpointed };
}

function tick() {
  if (waitingForPause) return;
  try {
    const version = dataVersion.get();
    if (version === seenVersion) return;
    seenVersion = version;
    const passive = checkpoint('PASSIVE');
    parentPort.postMessage({ type: 'passive', ...passive });
    if (passive.log >= workerData.restartFrames) {
      waitingForPause = true;
      parentPort.postMessage({ type: 'pause' });
    }
  } catch (error) {
    parentPort.postMessage({ type: 'passive', error: String(error && error.message ? error.message : error) });
  }
}

function restart() {
  waitingForPause = false;
  const started = performance.now();
  let result;
  try {
    result = { type: 'resume', ...checkpoint('RESTART') };
  } catch (error) {
    result = { type: 'resume', error: String(error && error.message ? error.message : error) };
  }
  result.ms = performance.now() - started;
  seenVersion = dataVersion.get();
  parentPort.postMessage(result);
}

const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message.type === 'paused') restart();
  else if (message.type === 'skip') waitingForPause = false;
  else if (message.type === 'close') {
    clearInterval(timer);
    connection.close();
    parentPort.close();
  }
});
`;
