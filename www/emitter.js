// @ts-check
// A minimal event emitter: listeners by event type, called in the order they subscribed. The
// worker client (lab.js), the session and the lessons client each keep their listeners in one.

/**
 * @template {Record<string, any>} Events event type → the detail its listeners receive
 */
export class Emitter {
  constructor() {
    /** @type {Map<keyof Events, ((detail: any) => void)[]>} */
    this.listeners = new Map();
  }

  /**
   * Subscribe to one event type.
   * @template {keyof Events} K
   * @param {K} type
   * @param {(detail: Events[K]) => void} fn
   */
  on(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }

  /**
   * Unsubscribe a listener added with on().
   * @template {keyof Events} K
   * @param {K} type
   * @param {(detail: Events[K]) => void} fn
   */
  off(type, fn) {
    const list = this.listeners.get(type);
    if (list) this.listeners.set(type, list.filter((f) => f !== fn));
  }

  /**
   * Call the listeners of `type` with `detail` (a listener added meanwhile is called too).
   * @template {keyof Events} K
   * @param {K} type
   * @param {Events[K]} detail
   */
  emit(type, detail) {
    for (const fn of this.listeners.get(type) || []) fn(detail);
  }
}
