// How the tests and the bench start Debian's Chromium (headless): one list, so that the e2e
// suite (playwright.config.js), ./lab bench (tests/bench/run.mjs) and the soak test measure the
// same browser.

/** The browser binary (CHROMIUM overrides it). */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/**
 * Command-line switches. Besides the usual quiet ones (no sandbox in a container, no GPU, no
 * background traffic), the browser's own omnibox pop-up is switched off: headless Chromium
 * opens a window per browser context, and each window preloads the address bar's pop-up, a
 * chrome:// page in a renderer of its own (measured: 0.3–1.2 s of CPU per new context, about
 * half of it that renderer; with these features off, 0.28–0.34 s and one renderer fewer).
 * A headless browser never shows that pop-up, and the lab's pages do not depend on it.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
];
