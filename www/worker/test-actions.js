// @ts-check
// Test-only ways for the training worker to die (and to report its memory), asked for with
// {type: '__test', action} (docs/testing.md, "Test hooks"), so the e2e tests and
// tests/e2e/soak.mjs can exercise the page's crash recovery; worker.js's `__test` handler runs them.

import { full, wasmBytes } from '../wasm-modules.js';
import { scope, state } from './state.js';

/**
 * Test-only actions: each simulates one way a worker dies. `trap` asks the wasm allocator for
 * 4 GB (a real out-of-memory trap in wasm, as a runaway allocation would cause), `throw` throws
 * outside any handler (the Worker's 'error' event), `close` ends the worker silently (requests
 * go unanswered: the page's watchdog), `hang` spins forever (likewise); `memory` reports the
 * wasm memory (of both modules) for the soak test; `moveToFull` moves the model to the full module now
 * and says which module holds it before and after (the handover e2e test).
 */
export const TEST_ACTIONS = {
  trap() {
    state.wasm.__wbindgen_malloc(0xfffffff0, 8);
    return null;
  },
  throw() {
    setTimeout(() => {
      throw new Error('test-only crash of the training worker');
    });
    return null;
  },
  close() {
    setTimeout(() => scope.close());
    return null;
  },
  hang() {
    setTimeout(() => {
      for (;;) {
        /* spin: the page's watchdog must notice */
      }
    });
    return null;
  },
  memory() {
    const p = state.lab ? state.lab.progress() : { step: 0, epochs_fraction: 0 };
    const bytes = wasmBytes(state);
    return { wasmBytes: bytes.total, startBytes: bytes.start, fullBytes: bytes.full, step: p.step, epochs: p.epochs_fraction, predictions: state.predictions };
  },
  async moveToFull() {
    const before = state.wasm === state.startWasm ? 'start' : 'full';
    await full(state);
    return { before, after: state.wasm === state.startWasm ? 'start' : 'full', step: state.lab ? state.lab.progress().step : null };
  },
};
