// @ts-check
// The saved sessions in this browser's IndexedDB: one record per key, written whole. No DOM,
// no worker: the session decides what a record holds (see Session.snapshot) and when to save.
// Every failure (private mode, storage disabled or full) is reported to the caller, never thrown
// past it: the lab works without saving.

/** Database and object-store names; bump DB_VERSION only with an upgrade step. */
export const DB_NAME = 'softmax-lab';
export const DB_VERSION = 1;
export const STORE = 'sessions';
/** Each tab's session is saved under `session:<id>` (session-tabs.js). */
export const SESSION_PREFIX = 'session:';

/** @param {string} id a tab's session id */
export const sessionKey = (id) => `${SESSION_PREFIX}${id}`;

/** A small promise wrapper around one IndexedDB database. */
export class SessionStore {
  constructor() {
    this.db = null;
    this.opening = null;
  }

  /** @returns {Promise<IDBDatabase>} */
  open() {
    if (this.db) return Promise.resolve(this.db);
    if (!this.opening) {
      this.opening = new Promise((resolve, reject) => {
        if (typeof indexedDB === 'undefined') {
          reject(new Error('this browser has no IndexedDB'));
          return;
        }
        const req = indexedDB.open(DB_NAME, DB_VERSION);
        req.onupgradeneeded = () => req.result.createObjectStore(STORE);
        req.onsuccess = () => {
          this.db = req.result;
          // Another tab upgrading the database: let it, and reopen next time.
          this.db.onversionchange = () => {
            this.db.close();
            this.db = null;
            this.opening = null;
          };
          resolve(this.db);
        };
        req.onerror = () => reject(req.error || new Error('IndexedDB could not be opened'));
        req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
      }).catch((e) => {
        this.opening = null;
        throw e;
      });
    }
    return this.opening;
  }

  /**
   * Run one request in a transaction; resolves when the transaction has committed.
   * @param {'readonly'|'readwrite'} mode
   * @param {(store: IDBObjectStore) => IDBRequest} make
   */
  async run(mode, make) {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = make(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onabort = () => reject(tx.error || new Error('the IndexedDB transaction was aborted'));
      tx.onerror = () => reject(tx.error || new Error('IndexedDB failed'));
    });
  }

  /**
   * @param {string} key
   * @returns {Promise<object|undefined>}
   */
  get(key) {
    return this.run('readonly', (s) => s.get(key));
  }

  /**
   * @param {string} key
   * @param {object} value structured-cloneable
   */
  put(key, value) {
    return this.run('readwrite', (s) => s.put(value, key));
  }

  /**
   * Every [key, record] pair.
   * @returns {Promise<[string, any][]>}
   */
  async entries() {
    const db = await this.open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, 'readonly');
      /** @type {[string, any][]} */
      const out = [];
      const req = tx.objectStore(STORE).openCursor();
      req.onsuccess = () => {
        const cursor = req.result;
        if (!cursor) return;
        out.push([String(cursor.key), cursor.value]);
        cursor.continue();
      };
      tx.oncomplete = () => resolve(out);
      tx.onabort = () => reject(tx.error || new Error('the IndexedDB transaction was aborted'));
      tx.onerror = () => reject(tx.error || new Error('IndexedDB failed'));
    });
  }

  /** @param {string} key */
  delete(key) {
    return this.run('readwrite', (s) => s.delete(key));
  }
}
