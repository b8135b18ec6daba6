// Shared end-to-end plumbing: a loopback page server, the built extension loaded into real
// Chromium (CDP) and Firefox ESR (WebDriver BiDi), and artifacts kept when a test fails.
import { createServer } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve, normalize } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(resolve('extension/package.json'));
const puppeteer = require('puppeteer-core');

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');
// Node's URL gives origin "null" for non-special schemes like chrome-extension:, so cut it by hand.
const originOf = (url) => url.match(/^[a-z-]+:\/\/[^/]+/)[0];
const TYPES = { '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.js': 'text/javascript' };

/** Serves a folder on 127.0.0.1 at an ephemeral port; resolves to { url(path), close() }. */
export async function serveFolder(folder) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(folder, path);
    if (!file.startsWith(folder) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${server.address().port}`;
  return { url: (p) => `${base}/${p}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Collects every page's console lines so a failure can show them. */
function recordConsole(page, lines, label) {
  page.on('console', (m) => lines.push(`[${label}] ${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => lines.push(`[${label}] pageerror: ${e.message}`));
}

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

/**
 * Starts a browser, allowing a slow start on a loaded 2-core machine, and tries once more if it
 * still does not come up: a start-up stall is the machine's, not the extension's.
 */
async function launchWithRetry(options) {
  const patient = { timeout: 90000, protocolTimeout: 120000, ...options };
  try {
    return await puppeteer.launch(patient);
  } catch (e) {
    console.error(`browser did not start (${e.message}); trying once more`);
    // A half-started browser may still hold the first profile; start clean.
    return puppeteer.launch({ ...patient, userDataDir: mkdtempSync(`${options.userDataDir}-retry-`) });
  }
}

/**
 * Starts a browser with the unpacked extension from `dir` loaded. Returns a session with the
 * extension's origin and helpers to open its pages, whatever the browser.
 */
export async function launch(browserName, dir) {
  const consoleLines = [];
  const profile = mkdtempSync(join(tmpdir(), `sprout-${browserName}-`));
  let browser;
  let origin;
  if (browserName === 'chromium') {
    browser = await launchWithRetry({
      executablePath: '/usr/bin/chromium',
      // A person watching the demo on a desktop sees the browser; CI and servers run headless.
      headless: !process.env.DISPLAY || process.env.CI === 'true',
      userDataDir: profile,
      ignoreDefaultArgs: ['--disable-extensions'],
      args: [...CHROMIUM_FLAGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
    });
    const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'));
    origin = originOf(worker.url());
  } else {
    browser = await launchWithRetry({
      browser: 'firefox',
      executablePath: '/usr/bin/firefox-esr',
      headless: true,
      userDataDir: profile,
      extraPrefsFirefox: { 'xpinstall.signatures.required': false, 'extensions.manifestV3.enabled': true },
    });
    await browser.installExtension(dir);
    // Firefox forbids WebDriver to navigate to moz-extension:// pages, but the options tab the
    // extension opens on install is reachable, and from there its own pages are. Firefox reuses
    // the blank start tab for it without puppeteer seeing the navigation, so ask each page.
    const page = await findPage(browser, (href) => href.startsWith('moz-extension://'));
    origin = originOf(await page.evaluate(() => location.href));
  }
  const session = {
    browser,
    browserName,
    origin,
    consoleLines,
    /** The page the extension opened on install (Firefox) or a fresh tab on it (Chromium). */
    async extensionPage(path) {
      if (browserName === 'chromium') {
        const page = await browser.newPage();
        recordConsole(page, consoleLines, path);
        await page.goto(`${origin}/${path}`);
        return page;
      }
      const page = await findPage(browser, (href) => href.startsWith(origin));
      if (!page.sproutConsole) recordConsole(page, consoleLines, 'extension tab');
      page.sproutConsole = true;
      // Puppeteer sees no navigation events for moz-extension:// pages; move, then poll.
      await page.evaluate((p) => location.assign(p), `/${path}`);
      return findPage(browser, (href) => href === `${origin}/${path}`);
    },
    /** Opens a web page in a new tab and returns { page, tabId } (tab id as the extension sees it). */
    async webPage(url) {
      const page = await browser.newPage();
      recordConsole(page, consoleLines, url);
      await page.goto(url);
      const probe = await session.extensionPage('options.html');
      const tabId = await probe.evaluate(async (u) => {
        // Match by hand: Firefox's match patterns cannot name a port.
        const tabs = await chrome.tabs.query({});
        return tabs.find((t) => t.url === u)?.id;
      }, url);
      if (browserName === 'chromium') await probe.close();
      return { page, tabId };
    },
    async close() {
      await browser.close();
    },
  };
  return session;
}

/** Polls the open pages until one's live location matches, for up to 20 s. */
async function findPage(browser, matches) {
  for (let tries = 0; tries < 80; tries++) {
    for (const page of await browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => '');
      if (matches(href)) return page;
    }
    await new Promise((ok) => setTimeout(ok, 250));
  }
  throw new Error('no page of the extension appeared within 20 s');
}

/** Runs one test step; when it throws, keeps the browser's screenshots and console first. */
export async function withArtifacts(session, name, fn) {
  try {
    return await fn();
  } catch (e) {
    console.error(`artifacts of the failure: ${await keepArtifacts(session, `${session.browserName}-${name}`)}`);
    throw e;
  }
}

/** Saves a screenshot of every open page and the console log under artifacts/<name>/. */
export async function keepArtifacts(session, name) {
  const dir = join(ARTIFACTS, name.replace(/[^\w.-]+/g, '_'));
  mkdirSync(dir, { recursive: true });
  const pages = await session.browser.pages();
  for (const [i, page] of pages.entries()) {
    // A tab in the background never paints headless; front it, and never wait long for a shot.
    const shot = page.bringToFront().then(() => page.screenshot({ path: join(dir, `page-${i}.png`) }));
    await Promise.race([shot, new Promise((ok) => setTimeout(ok, 5000))]).catch(() => {});
  }
  writeFileSync(join(dir, 'console.log'), session.consoleLines.join('\n') + '\n');
  return dir;
}
