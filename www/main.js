// @ts-check
// Wiring only: start the worker and the session, mount the header status and every section,
// build the table of contents. Each section module exports ID, TITLE and mount(root, session);
// to add a lecture section, write www/sections/<name>.js and list it in SECTION_IDS and LATER.
//
// §1 comes with the page (index.html preloads only its modules and the wiring's) and is mounted
// at once, so that it answers while the other sections' modules arrive; they are imported at
// once and mounted after it, in order. The session's start (the wasm module, the manifest, the
// saved session) runs meanwhile, and it asks for the data set once every section is mounted
// (session-load.js; the worker has been fetching it since boot.js).

import { createLabClient } from './lab.js';
import { createSession } from './session.js';
import { sectionsMounted } from './session-load.js';
import { mountStatus } from './status.js';
import { mountNotices } from './notices.js';
import { startOffline } from './offline.js';
import { el } from './dom.js';
import { createPresenter } from './present.js';
import { mountKeys, sectionInView } from './keys.js';
import { applyPresets, applyView, mountSectionLinks, parseView } from './view.js';
import { parseLink } from './share.js';
import { presets } from './session-link.js';
import { deferBuild } from './run-control.js';
import * as sigmoid from './sections/sigmoid.js';

/** The sections' ids, in the order of the lecture (Class 5); Train, its step in slow motion and Draw follow §4. */
const SECTION_IDS = ['sigmoid', 'logistic', 'attenuation', 'softmax', 'train', 'step-view', 'draw', 'learned', 'ex-l2', 'ex-positive', 'ex-lr'];
/** The modules of the sections after §1, in that order (imported once §1 is mounted). */
const later = () => [
  import('./sections/logistic.js'),
  import('./sections/attenuation.js'),
  import('./sections/softmax.js'),
  import('./sections/train.js'),
  import('./sections/step-view.js'),
  import('./sections/draw.js'),
  import('./sections/learned.js'),
  import('./sections/ex-l2.js'),
  import('./sections/ex-positive.js'),
  import('./sections/ex-lr.js'),
];

/** @typedef {{ID: string, TITLE: string, mount: (root: HTMLElement, session: import('./session.js').Session) => void}} Section */

const session = createSession(createLabClient(), new URL('.', document.baseURI).href);
mountStatus(document.getElementById('status-area'), session);

const toc = document.getElementById('toc-list');
const main = document.getElementById('sections');
const credits = toc.lastElementChild;
mountNotices(main, session);
// ?only=<id> and ?embed=<id> (view.js): one section, the others not built.
const view = parseView(location.search, SECTION_IDS);
if (view.problem) session.notify('view', 'warn', `This link's view could not be used — ${view.problem}.`);

/** @param {Section} section */
function mount(section) {
  const root = el('section', { id: section.ID, class: 'section', 'aria-labelledby': `${section.ID}-title` });
  main.append(root);
  section.mount(root, session);
  const heading = root.querySelector('h2');
  if (heading) heading.id = `${section.ID}-title`;
  toc.insertBefore(el('li', {}, el('a', { href: `#${section.ID}` }, section.TITLE)), credits);
}

/** @type {(shown: Section[]) => void} */
let mounted = () => {};
const allMounted = /** @type {Promise<Section[]>} */ (
  new Promise((resolve) => {
    mounted = resolve;
  })
);
// An instructor's link: the sections' controls it presets and hides, once their bodies are built
// (deferBuild runs in order); what is refused joins the link's notice.
presets.problems = allMounted.then(
  () =>
    new Promise((done) => {
      deferBuild(() => done(applyPresets(parseLink(location.search).values, main)));
    }),
);
// The wasm module, the manifest and the saved session load while the sections are mounted; the
// data set is asked for once they are built.
sectionsMounted(session, allMounted);
session.start();

// The whole lab: §1 at once. The view of one section: that one, once its module is there (the
// page shows nothing of the others meanwhile).
if (!view.section) mount(sigmoid);
/** @type {Promise<{onShortcuts: () => void, present: () => void}>} */
const controls = Promise.all(later()).then((modules) => {
  const sections = /** @type {Section[]} */ ([sigmoid, ...modules]);
  const shown = view.section ? sections.filter((s) => s.ID === view.section) : sections;
  for (const section of shown) if (view.section || section !== sigmoid) mount(section);
  applyView(view, main, shown[0].TITLE);
  // The opening waits for every section's body too (deferBuild runs in order), so that each body
  // is built before the opening's events. Asking for the data set once the heads are mounted
  // measured no faster: the bodies and the data then share two cores (docs/speed.md).
  deferBuild(() => mounted(shown));
  mountSectionLinks(shown.map((s) => /** @type {HTMLElement} */ (document.getElementById(s.ID))), session);
  // Sections exist now: honour an anchor in the URL that pointed at one of them.
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  // Presenter mode (?present) and the keyboard shortcuts.
  const presenter = createPresenter(shown.map((s) => ({ id: s.ID, title: s.TITLE })), { onShortcuts: () => keys.showShortcuts() });
  const keys = mountKeys({ presenter });
  presenter.fromUrl();
  // The offline copy last: registering the service worker must not delay the first section or the data.
  startOffline(/** @type {HTMLElement} */ (document.getElementById('credits')), session);
  return { onShortcuts: () => keys.showShortcuts(), present: () => presenter.enter(sectionInView(null)?.id) };
});
// The header's buttons work from the start (they act once the sections are there).
document.querySelector('[data-testid="present"]')?.addEventListener('click', () => controls.then((c) => c.present()));
document.querySelector('[data-testid="shortcuts-open"]')?.addEventListener('click', () => controls.then((c) => c.onShortcuts()));
