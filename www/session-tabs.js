// @ts-check
// Several tabs, each its own session. Every tab saves under a key of its own (`session:<id>` in
// store.js), so no tab overwrites another's work. The id lives in sessionStorage, which a reload
// keeps and a new tab does not: a reload resumes this tab's session. A tab holds a Web Lock named
// after its id for as long as it is open, so a new tab can tell the sessions open elsewhere from
// those nobody has open (a closed tab's, which a new tab resumes: the most recent one) — and a
// duplicated tab, which copies sessionStorage, sees the lock taken and starts an id of its own.
// No DOM; the session decides what to show.

import { sessionKey, SESSION_PREFIX } from './store.js';

const TAB_KEY = 'softmax-lab-session';
const LOCK_PREFIX = 'softmax-lab-session:';
/** Saved sessions kept in this browser; older ones that no tab has open are dropped. */
export const KEEP_SESSIONS = 8;

/** The id this tab had before a reload ('' in a new tab, or where storage is disabled). */
function storedId() {
  try {
    return globalThis.sessionStorage?.getItem(TAB_KEY) || '';
  } catch {
    return '';
  }
}

/** @returns {string} */
function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Take the Web Lock `name` if nobody holds it; resolves with a function that releases it, or null.
 * @param {string} name
 * @returns {Promise<(() => void)|null>}
 */
function hold(name) {
  const locks = globalThis.navigator?.locks;
  if (!locks) return Promise.resolve(() => {});
  return new Promise((resolve) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(null);
          return undefined;
        }
        // Held until released (or the tab closes).
        return new Promise((release) => {
          resolve(() => release(undefined));
        });
      })
      .catch(() => resolve(null));
  });
}

/** This tab's session id, and which saved sessions other tabs have open. */
export class Tabs {
  /** @param {import('./store.js').SessionStore} store */
  constructor(store) {
    this.store = store;
    /** @type {string} */
    this.id = '';
    /** @type {(() => void)|null} */
    this.release = null;
    /** Whether this tab had its id before (a reload), rather than being new. */
    this.reloaded = false;
  }

  /** The storage key of this tab's session. */
  get key() {
    return sessionKey(this.id);
  }

  /** Claim this tab's id: the one it had before a reload, unless another open tab holds it. */
  async claim() {
    const id = storedId();
    if (id) {
      const release = await hold(LOCK_PREFIX + id);
      if (release) {
        this.id = id;
        this.release = release;
        this.reloaded = true;
        return;
      }
    }
    for (;;) {
      const fresh = newId();
      const release = await hold(LOCK_PREFIX + fresh);
      if (!release) continue;
      this.setId(fresh, release);
      return;
    }
  }

  /** @param {string} id @param {() => void} release */
  setId(id, release) {
    this.release?.();
    this.id = id;
    this.release = release;
    try {
      globalThis.sessionStorage?.setItem(TAB_KEY, id);
    } catch {
      // storage disabled: the id lasts as long as the page
    }
  }

  /**
   * Make `id` this tab's session (a saved one it resumes), if no other tab has it open.
   * @param {string} id
   * @returns {Promise<boolean>}
   */
  async adopt(id) {
    if (id === this.id) return true;
    const release = await hold(LOCK_PREFIX + id);
    if (!release) return false;
    this.setId(id, release);
    return true;
  }

  /** Ids of the sessions open in other tabs (empty where the browser has no Web Locks). */
  async openElsewhere() {
    const locks = globalThis.navigator?.locks;
    if (!locks) return new Set();
    try {
      const { held = [] } = await locks.query();
      return new Set(held.map((l) => l.name || '').filter((n) => n.startsWith(LOCK_PREFIX)).map((n) => n.slice(LOCK_PREFIX.length)).filter((id) => id !== this.id));
    } catch {
      return new Set();
    }
  }

  /**
   * Every saved session, newest first: `{id, record}` (records as stored; the caller checks them).
   * A record of the single-session pages before (key "current") becomes a session of its own.
   * @returns {Promise<{id: string, record: any}[]>}
   */
  async saved() {
    const entries = await this.store.entries();
    const out = [];
    for (const [key, record] of entries) {
      if (key === 'current') {
        const id = newId();
        await this.store.put(sessionKey(id), record);
        await this.store.delete('current');
        out.push({ id, record });
      } else if (key.startsWith(SESSION_PREFIX)) {
        out.push({ id: key.slice(SESSION_PREFIX.length), record });
      }
    }
    return out.sort((a, b) => (b.record?.savedAt || 0) - (a.record?.savedAt || 0));
  }

  /**
   * Drop the oldest sessions beyond KEEP_SESSIONS that no tab has open (never this tab's).
   * @param {{id: string, record: any}[]} saved newest first
   * @param {Set<string>} open
   */
  async prune(saved, open) {
    const old = saved.filter((s) => s.id !== this.id && !open.has(s.id)).slice(KEEP_SESSIONS);
    for (const s of old) await this.store.delete(sessionKey(s.id));
  }
}
