// How the benchmark opens the extension's pages in both browsers: a probe page that injects
// scripts, and the popup opened for a tab with an observer installed before any of its scripts
// run (so a build without timing marks can still be timed from the outside).
import { optionsTab } from '../harness.mjs';
import { peerExtract } from './peer.mjs';

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Polls the open pages until one's live location satisfies `matches`. */
async function findPage(browser, matches, what) {
  for (let tries = 0; tries < 240; tries++) {
    for (const page of await browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => '');
      if (matches(href)) return page;
    }
    await sleep(250);
  }
  throw new Error(`${what} did not appear within 60 s`);
}

/**
 * An extension page to inject from, with the peer extractor defined in it as a real function
 * (an extension page's CSP forbids building one from text; the debugging protocol may), and the
 * extractor's wasm loaded and initialised there as the popup loads it (an extension page imports
 * the extension's own files: nothing needs to be web-accessible), so that Sprout's read is timed
 * as the peer's is: from an idle extension page whose extracting code is already loaded.
 * `__benchExtract` is null for a build without the extractor's wasm (its reader extracts in the page).
 */
export async function probePage(session) {
  const page = session.browserName === 'chromium' ? await session.extensionPage('options.html') : await optionsTab(session);
  await page.evaluate(`globalThis.__benchPeer = ${peerExtract.toString()}`);
  await page.evaluate(async () => {
    const url = `${location.origin}/pkg/sprout_extractor.js`;
    if (!(await fetch(url).then((r) => r.ok, () => false))) {
      globalThis.__benchExtract = null;
      return;
    }
    const extractor = await import(url);
    await extractor.default();
    globalThis.__benchExtract = extractor.extract_page;
  });
  return page;
}

/**
 * Records when the person's first name first has a value, for builds without the
 * `sprout:name-shown` mark: on every DOM change (the value comes with the form's re-render) and
 * every frame (a value set without one), whichever sees it first.
 */
function nameObserver() {
  globalThis.__benchObserving = true;
  const seen = () => {
    if (globalThis.__benchNameShown !== undefined) return true;
    if (document.querySelector('[data-testid=first-name]')?.value) globalThis.__benchNameShown = performance.now();
    return globalThis.__benchNameShown !== undefined;
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  const frame = () => seen() || requestAnimationFrame(frame);
  requestAnimationFrame(frame);
}

/**
 * Opens popup.html (or another of the extension's pages: `file`) for `tabId` as a page of its own;
 * resolves to { page, close }. In Chromium a new tab each time, as the tests do; in Firefox (where
 * WebDriver may not navigate to extension pages) one extension tab, opened by the extension, moved
 * to each new popup address.
 */
export function popupOpener(session, probe) {
  let counter = 0;
  let firefoxTab;
  return async (tabId, file = 'popup.html') => {
    const path = `${file}?tab=${tabId}&bench=${++counter}`;
    const url = `${session.origin}/${path}`;
    if (session.browserName === 'chromium') {
      const page = await session.browser.newPage();
      await page.evaluateOnNewDocument(nameObserver);
      await page.goto(url);
      return { page, close: () => page.close() };
    }
    if (!firefoxTab) {
      await probe.evaluate(() => chrome.tabs.create({ url: 'options.html?bench-popups', active: true }));
      firefoxTab = await findPage(session.browser, (href) => href === `${session.origin}/options.html?bench-popups`, 'the popup tab');
      await firefoxTab.evaluateOnNewDocument(nameObserver);
    }
    await firefoxTab.bringToFront();
    await firefoxTab.evaluate((p) => location.assign(p), `/${path}`);
    const page = await findPage(session.browser, (href) => href === url, 'the popup');
    return { page, close: async () => {} };
  };
}

/**
 * Opens a web page in a new tab; resolves to { page, tabId }. Unlike the harness's webPage, it
 * asks `probe` for the tab id, so no other extension tab (the popup's in Firefox) is moved.
 */
export async function webPage(session, probe, url) {
  const page = await session.browser.newPage();
  await page.goto(url);
  const tabId = await probe.evaluate(async (u) => (await chrome.tabs.query({})).find((t) => t.url === u)?.id, page.url());
  if (!Number.isInteger(tabId)) throw new Error(`the extension does not see the tab of ${url}`);
  return { page, tabId };
}
