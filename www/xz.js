// @ts-check
// The data sets' decoder: xz (LZMA2) streams decoded in the worker as their bytes arrive.
// The decoding itself is xz-embedded (Lasse Collin, Igor Pavlov; public domain) compiled to
// wasm, as the npm package xz-decompress 0.2.3 ships it (MIT; the build copies the module out of
// it to www/vendor/xz/xz-embedded.wasm, 12.5 KB, no imports). This file drives it: one
// instance per stream (so the four files of a data set decode side by side), input pushed
// as it arrives, output handed on piece by piece, and every error named. It is not part of the
// start-up wasm (www/pkg): the worker loads it only when a data set is downloaded.

/** Where the decoder module is, relative to this file. */
export const XZ_WASM_URL = new URL('vendor/xz/xz-embedded.wasm', import.meta.url).href;

/** xz-embedded's return codes (xz.h, enum xz_ret) and what each means for a file. */
const XZ_OK = 0;
const XZ_STREAM_END = 1;
const XZ_ERRORS = {
  2: 'it uses an integrity check this decoder does not know',
  3: 'the decoder ran out of memory',
  4: 'it needs more memory than the decoder allows',
  5: 'it is not an xz file',
  6: 'it uses xz options this decoder does not support',
  7: 'its compressed data is corrupt',
  8: 'its compressed data is corrupt or cut short',
};

/** An xz stream that cannot be decoded; `message` says why. */
export class XzError extends Error {}

/** @type {Promise<WebAssembly.Module>|null} */
let compiled = null;

/**
 * The compiled decoder module (fetched and compiled once per worker).
 * @param {string} [url]
 * @returns {Promise<WebAssembly.Module>}
 */
export function xzModule(url = XZ_WASM_URL) {
  if (!compiled) {
    compiled = (async () => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`the xz decoder (${url.replace(/^.*\/www\//, 'www/')}) is missing (HTTP ${response.status}): run ./lab setup`);
      return WebAssembly.compile(await response.arrayBuffer());
    })();
    compiled.catch(() => (compiled = null)); // a failed fetch is retried next time
  }
  return compiled;
}

/** One xz stream being decoded: push() compressed bytes, finish() at their end. */
export class XzDecoder {
  /** @param {WebAssembly.Module} module from xzModule() */
  constructor(module) {
    const { exports } = new WebAssembly.Instance(module, {});
    /** @type {any} */
    this.x = exports;
    this.memory = /** @type {WebAssembly.Memory} */ (exports.memory);
    this.ptr = this.x.create_context();
    if (!this.ptr) throw new XzError('the xz decoder could not start (out of memory)');
    // The context (xzwasm's decompression_context): buffer size, then xz-embedded's struct
    // xz_buf {in, in_pos, in_size, out, out_pos, out_size}, 32-bit words.
    const words = new Uint32Array(this.memory.buffer, this.ptr, 7);
    this.bufSize = words[0];
    this.inAt = words[1];
    this.outAt = words[4];
    this.ended = false;
    this.disposed = false;
  }

  /** @param {number} i word i of the context (re-read: the memory may have grown) */
  word(i) {
    return new Uint32Array(this.memory.buffer, this.ptr, 7)[i];
  }

  /**
   * Decode `bytes`, the next piece of the stream; `onOutput` gets each decoded piece, a view
   * that is only valid during the call. Throws an XzError for data that is not a valid stream,
   * or that goes on after the stream's end.
   * @param {Uint8Array} bytes
   * @param {(piece: Uint8Array) => void} onOutput
   */
  push(bytes, onOutput) {
    if (this.disposed) throw new XzError('the xz decoder was already closed');
    let at = 0;
    while (at < bytes.length) {
      if (this.ended) throw new XzError('there are bytes after the end of its xz stream');
      const n = Math.min(this.bufSize, bytes.length - at);
      new Uint8Array(this.memory.buffer).set(bytes.subarray(at, at + n), this.inAt);
      this.x.supply_input(this.ptr, n);
      at += n;
      // Run until this input is used up and the output buffer has room, or the stream ends.
      for (;;) {
        const ret = this.x.get_next_output(this.ptr);
        if (ret !== XZ_OK && ret !== XZ_STREAM_END) {
          this.dispose();
          throw new XzError(XZ_ERRORS[ret] || `the xz decoder failed (code ${ret})`);
        }
        const produced = this.word(5);
        if (produced) onOutput(new Uint8Array(this.memory.buffer, this.outAt, produced));
        new Uint32Array(this.memory.buffer, this.ptr, 7)[5] = 0; // out_pos: the buffer is empty again
        if (ret === XZ_STREAM_END) {
          this.ended = true;
          break;
        }
        if (this.word(2) === this.word(3) && produced < this.bufSize) break;
      }
    }
  }

  /**
   * The input is complete: decodes what is left (the decoder, built to read concatenated
   * streams, only ends a stream once it is told that no more input follows) and throws unless
   * the stream ended exactly there. Frees the decoder.
   * @param {(piece: Uint8Array) => void} onOutput
   */
  finish(onOutput) {
    try {
      if (this.disposed) throw new XzError('the xz decoder was already closed');
      this.x.supply_input(this.ptr, 0);
      for (let i = 0; !this.ended && i < 1e6; i++) {
        const ret = this.x.get_next_output(this.ptr);
        if (ret !== XZ_OK && ret !== XZ_STREAM_END) throw new XzError(ret === 8 ? 'its xz stream is cut short' : XZ_ERRORS[ret] || `the xz decoder failed (code ${ret})`);
        const produced = this.word(5);
        if (produced) onOutput(new Uint8Array(this.memory.buffer, this.outAt, produced));
        new Uint32Array(this.memory.buffer, this.ptr, 7)[5] = 0;
        if (ret === XZ_STREAM_END) this.ended = true;
        else if (!produced) throw new XzError('its xz stream is cut short');
      }
    } finally {
      this.dispose();
    }
  }

  /** Free the decoder's memory (its dictionary is as large as the file). */
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.x.destroy_context(this.ptr);
  }
}
