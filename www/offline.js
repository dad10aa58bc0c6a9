// @ts-check
// The offline copy (www/sw.js, served as sw.js beside index.html): register the service worker,
// say in the footer whether this version of the lab works offline, tell the user if the copy
// cannot be made (the page then works from the network, as without one), and offer a new version
// once it is ready — saving the session before the reload that switches to it.

import { el } from './dom.js';

/** @typedef {'unsupported'|'blocked'|'saving'|'ready'|'failed'} OfflineState */

/**
 * @param {HTMLElement} root where the status line goes (the footer)
 * @param {import('./session.js').Session} session
 */
export function startOffline(root, session) {
  const line = el('p', { class: 'offline-status', testid: 'offline', data: { state: 'saving' } });
  root.append(line);
  /** @param {OfflineState} state @param {string} text @param {string} [version] */
  const show = (state, text, version) => {
    line.dataset.state = state;
    if (version) line.dataset.version = version;
    line.textContent = text;
  };
  const container = globalThis.navigator?.serviceWorker;
  if (!container || !globalThis.isSecureContext) {
    show('unsupported', 'Offline: this browser keeps no offline copy here (it needs HTTPS or localhost), so every visit needs the network.');
    return;
  }
  const READY = 'Works offline: this version of the lab is saved in this browser (the data sets once they have loaded).';
  let reloading = false;

  container.addEventListener('message', (event) => {
    const m = event.data;
    if (!m || m.source !== 'softmax-lab-sw') return;
    if (m.type === 'failed' && container.controller) {
      // An update could not be saved: the version in use stays, offline too; tried again next visit.
      show('ready', `${READY} A newer version could not be saved (${m.reason}); it is tried again on the next visit.`);
    } else if (m.type === 'failed') {
      show('failed', `Offline: no copy could be saved (${m.reason}); the lab works as long as the network is there.`);
      session.notify('offline', 'warn', `This browser could not keep an offline copy of the lab (${m.reason}). Nothing else changes: the lab works while the network is there.`, [
        { label: 'OK', testid: 'notice-ok', run: () => session.dismiss('offline') },
      ]);
    } else if ((m.type === 'active' || m.type === 'version') && !reloading && container.controller) {
      show('ready', READY, m.version);
    }
  });
  container.addEventListener('controllerchange', () => {
    if (reloading) location.reload();
    else container.controller?.postMessage({ type: 'version' });
  });

  /** @param {ServiceWorker} waiting */
  const offerUpdate = (waiting) => {
    session.notify('update', 'info', 'A new version of the lab is ready. Reload to use it: your session is saved first.', [
      {
        label: '↻ Reload now',
        testid: 'update-reload',
        run: async () => {
          reloading = true;
          await session.checkpoints.save().catch(() => {});
          waiting.postMessage({ type: 'skip-waiting' });
        },
      },
    ]);
  };

  // Served by the offline copy already: say so now (registering re-checks for an update, which
  // takes a while when the network is gone).
  if (container.controller) {
    show('ready', READY);
    container.controller.postMessage({ type: 'version' });
  } else {
    show('saving', 'Offline: saving a copy of the lab in this browser…');
  }
  // Register once the data set has loaded (or failed): copying the app must not compete with the
  // first download and start-up.
  const settled = new Promise((resolve) => {
    const check = () => {
      if (session.state.status.state === 'loading') return;
      session.off('frame', check); // not a listener on every frame for the page's lifetime
      resolve(undefined);
    };
    session.on('frame', check);
    check();
    setTimeout(resolve, 15_000);
  });
  settled.then(() => container.register('sw.js', { scope: './' })).then(
    (reg) => {
      // A test harness may stub registration out (Playwright's serviceWorkers: 'block').
      if (!reg) return show('blocked', 'Offline: service workers are blocked here; every visit needs the network.');
      const watch = () => {
        if (reg.waiting && container.controller) offerUpdate(reg.waiting);
      };
      reg.addEventListener('updatefound', () => {
        const w = reg.installing;
        w?.addEventListener('statechange', () => {
          if (w.state === 'installed') watch();
        });
      });
      watch();
    },
    (e) => container.controller || show('failed', `Offline: no copy could be saved (${e.message || e}); the lab works as long as the network is there.`),
  );
}
