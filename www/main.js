// @ts-check
// Wiring only: start the worker and the session, mount the header status and every section,
// build the table of contents. Each section module exports ID, TITLE and mount(root, session);
// to add a lecture section, write www/sections/<name>.js and list it in SECTIONS.

import { createLabClient } from './lab.js';
import { createSession } from './session.js';
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
import * as logistic from './sections/logistic.js';
import * as attenuation from './sections/attenuation.js';
import * as softmax from './sections/softmax.js';
import * as train from './sections/train.js';
import * as stepView from './sections/step-view.js';
import * as draw from './sections/draw.js';
import * as learned from './sections/learned.js';
import * as exL2 from './sections/ex-l2.js';
import * as exPositive from './sections/ex-positive.js';
import * as exLr from './sections/ex-lr.js';

/** The page's sections, in the order of the lecture (Class 5); Train, its step in slow motion and Draw follow §4. */
const SECTIONS = [sigmoid, logistic, attenuation, softmax, train, stepView, draw, learned, exL2, exPositive, exLr];

const session = createSession(createLabClient(), new URL('.', document.baseURI).href);
mountStatus(document.getElementById('status-area'), session);

const toc = document.getElementById('toc-list');
const main = document.getElementById('sections');
const credits = toc.lastElementChild;
mountNotices(main, session);
// ?only=<id> and ?embed=<id> (view.js): one section, the others not built.
const view = parseView(location.search, SECTIONS.map((s) => s.ID));
if (view.problem) session.notify('view', 'warn', `This link's view could not be used — ${view.problem}.`);
const shown = view.section ? SECTIONS.filter((s) => s.ID === view.section) : SECTIONS;
for (const section of shown) {
  const root = el('section', { id: section.ID, class: 'section', 'aria-labelledby': `${section.ID}-title` });
  main.append(root);
  section.mount(root, session);
  const heading = root.querySelector('h2');
  if (heading) heading.id = `${section.ID}-title`;
  toc.insertBefore(el('li', {}, el('a', { href: `#${section.ID}` }, section.TITLE)), credits);
}
applyView(view, main, shown[0].TITLE);
// An instructor's link: the sections' controls it presets and hides, once their bodies are built
// (deferBuild runs in order); what is refused joins the link's notice.
presets.problems = new Promise((done) => {
  deferBuild(() => done(applyPresets(parseLink(location.search).values, main)));
});
mountSectionLinks(shown.map((s) => /** @type {HTMLElement} */ (document.getElementById(s.ID))), session);
// Sections exist now: honour an anchor in the URL that pointed at one of them.
if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
// Presenter mode (?present) and the keyboard shortcuts.
const presenter = createPresenter(shown.map((s) => ({ id: s.ID, title: s.TITLE })), { onShortcuts: () => keys.showShortcuts() });
const keys = mountKeys({ presenter });
document.querySelector('[data-testid="present"]')?.addEventListener('click', () => presenter.enter(sectionInView(null)?.id));
document.querySelector('[data-testid="shortcuts-open"]')?.addEventListener('click', () => keys.showShortcuts());
presenter.fromUrl();

session.start();
// The offline copy last: registering the service worker must not delay the first section or the data.
startOffline(/** @type {HTMLElement} */ (document.getElementById('credits')), session);
