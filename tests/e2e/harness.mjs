// Shared end-to-end plumbing: a loopback page server, the built extension loaded into real
// Chromium (CDP) and Firefox ESR (WebDriver BiDi), and artifacts kept when a test fails.
import { createServer } from 'node:http';
import { TLSSocket } from 'node:tls';
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
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
 * extension's origin and helpers to open its pages, whatever the browser. `profile` starts it on
 * an existing profile (a browser restart: pass the `profile` of a closed session). `colorScheme`
 * ('light' or 'dark') fixes Firefox's `prefers-color-scheme`; Chromium's is emulated per page.
 */
export async function launch(browserName, dir, { proxyPort, profile = mkdtempSync(join(tmpdir(), `sprout-${browserName}-`)), browserLog = false, colorScheme } = {}) {
  const consoleLines = [];
  // With `browserLog` (Firefox), what the browser writes to stdout and stderr, line by line: its
  // console, the extension's background included, which WebDriver cannot read.
  const logLines = [];
  let browser;
  let origin;
  if (browserName === 'chromium') {
    browser = await launchWithRetry({
      executablePath: '/usr/bin/chromium',
      // A person watching the demo on a desktop sees the browser; CI and servers run headless.
      headless: !process.env.DISPLAY || process.env.CI === 'true',
      userDataDir: profile,
      ignoreDefaultArgs: ['--disable-extensions'],
      // A pipe, and unsafe extension debugging, let CDP press the toolbar button (Extensions.triggerAction).
      pipe: true,
      args: [
        ...CHROMIUM_FLAGS, '--enable-unsafe-extension-debugging', `--disable-extensions-except=${dir}`, `--load-extension=${dir}`,
        // Fixture sites at their real https addresses come from the fixture proxy; loopback stays direct.
        ...(proxyPort ? [`--proxy-server=http://127.0.0.1:${proxyPort}`, '--ignore-certificate-errors'] : []),
      ],
    });
    const worker = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().endsWith('/background.js'));
    origin = originOf(worker.url());
  } else {
    browser = await launchWithRetry({
      browser: 'firefox',
      executablePath: '/usr/bin/firefox-esr',
      headless: true,
      userDataDir: profile,
      ...(browserLog && { dumpio: true }),
      extraPrefsFirefox: {
        'xpinstall.signatures.required': false,
        'extensions.manifestV3.enabled': true,
        // The extension's pages and background run in a content process: their console to stdout.
        ...(browserLog && { 'devtools.console.stdout.content': true }),
        // Puppeteer emulates the colour scheme through CDP only: Firefox is told by its prefs
        // (0 dark, 1 light), for its pages and the extension's alike.
        ...(colorScheme && {
          'layout.css.prefers-color-scheme.content-override': colorScheme === 'dark' ? 0 : 1,
          'ui.systemUsesDarkTheme': colorScheme === 'dark' ? 1 : 0,
        }),
        ...(proxyPort && {
          // Fixture sites through the fixture proxy; loopback (the sandbox) is never proxied.
          'network.proxy.type': 1,
          'network.proxy.http': '127.0.0.1',
          'network.proxy.http_port': proxyPort,
          'network.proxy.ssl': '127.0.0.1',
          'network.proxy.ssl_port': proxyPort,
          // permissions.request() answers without a prompt a test cannot click.
          'extensions.webextOptionalPermissionPrompts': false,
        }),
      },
      ...(proxyPort && { acceptInsecureCerts: true }),
    });
    if (browserLog) {
      // Kept here instead of mixed into the test's own output; nothing is lost, as the extension
      // is installed only now.
      for (const [stream, echo] of [[browser.process().stdout, process.stdout], [browser.process().stderr, process.stderr]]) {
        stream.unpipe(echo);
        createInterface({ input: stream }).on('line', (line) => logLines.push(line));
      }
    }
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
    profile,
    consoleLines,
    logLines,
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
      // The extension's one tab sits behind the web page a test opened last; a tab in the
      // background gets no frames, and every click or wait there waits for one (seconds under
      // load, and a wait polled by frames may never see its state).
      await page.bringToFront();
      // Already there: moving to the same address would reload it under the caller's feet.
      if ((await page.evaluate(() => location.href)) === `${origin}/${path}`) return page;
      // Puppeteer sees no navigation events for moz-extension:// pages; move, then poll.
      await page.evaluate((p) => location.assign(p), `/${path}`);
      const moved = await findPage(browser, (href) => href === `${origin}/${path}`);
      await moved.waitForFunction(() => globalThis.chrome?.runtime?.id && document.readyState === 'complete', { timeout: 20000 });
      return moved;
    },
    /**
     * Opens a web page in a new tab and returns { page, tabId } (tab id as the extension sees it).
     * With `press`, presses the toolbar button on it first (Chromium), as a recruiter does: that
     * grants activeTab, which is how the popup reaches a page outside the dev build's loopback.
     */
    async webPage(url, { press = false } = {}) {
      const page = await browser.newPage();
      recordConsole(page, consoleLines, url);
      await page.goto(url);
      url = page.url();
      if (press) await pressAction(session, page);
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

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/**
 * Starts target/debug/sprout-sandbox on a free loopback port; resolves once its banner names the
 * base URL. It speaks Greenhouse's published dialect unless `args` say `--dialect seed`.
 */
export async function startSandbox(args) {
  const at = args.indexOf('--dialect');
  const dialect = at >= 0 ? args[at + 1] : 'greenhouse';
  const child = spawn(join(ROOT, 'target/debug/sprout-sandbox'), ['--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const api = await new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`sprout-sandbox exited with ${code}`)));
    lines.on('line', (line) => {
      const m = line.match(/Partner API base URL\s+(\S+)/);
      if (m) ok(m[1]);
    });
  });
  const origin = new URL(api).origin;
  return {
    api,
    origin,
    dialect,
    admin: (path, body, method = body ? 'POST' : 'GET') =>
      fetch(`${origin}/_sandbox/${path}`, {
        method,
        ...(body && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      }).then((r) => (r.status === 204 ? null : r.json())),
    /** Who the sandbox says a user is, for comparing with what the options page shows. */
    user: (email) =>
      fetch(`${api}/current_user`, {
        headers: { authorization: `Basic ${Buffer.from('sandbox-partner-key:').toString('base64')}`, 'on-behalf-of': email },
      })
        .then((r) => r.json())
        // Greenhouse answers `full_name`, the seed contract `name`.
        .then((u) => ({ ...u, name: u.name ?? u.full_name })),
    stop: () => child.kill(),
  };
}

/** Sets a form control as a person would, so the page's own listeners see the change. */
export const fill = (page, selector, value) =>
  page.$eval(selector, (e, v) => {
    e.value = v;
    e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input', { bubbles: true }));
  }, value);

/**
 * Opens a section of the popup's form that opens on demand (a `<details>` with this test id), as a
 * person would: by clicking its summary. Does nothing when it is open already.
 */
export async function openSection(page, testid) {
  const closed = await page.$eval(`[data-testid=${testid}]`, (d) => !d.open);
  if (!closed) return;
  await page.click(`[data-testid=${testid}-summary]`);
  await page.waitForFunction((id) => document.querySelector(`[data-testid=${id}]`).open, { timeout: 10000 }, testid);
}

/**
 * Where the parts a recruiter needs at once are in the popup at its real size (400×600), without
 * scrolling: { top, bottom } of each element by test id (null when it is absent or not shown).
 */
export async function aboveTheFold(page, testids) {
  await page.setViewport({ width: 400, height: 600 });
  return page.evaluate((ids) => {
    window.scrollTo(0, 0);
    return Object.fromEntries(ids.map((id) => {
      const e = document.querySelector(`[data-testid=${id}]`);
      const r = e?.getBoundingClientRect();
      return [id, r && r.height > 0 ? { top: Math.round(r.top), bottom: Math.round(r.bottom) } : null];
    }));
  }, testids);
}

/** The options tab: in Firefox the one the extension opened on install (moving it reloads it). */
export async function optionsTab(session) {
  if (session.browserName === 'chromium') return session.extensionPage('options.html');
  for (let i = 0; i < 80; i++) {
    for (const p of await session.browser.pages()) {
      if ((await p.evaluate(() => location.href).catch(() => '')) === `${session.origin}/options.html`) return p;
    }
    await sleep(250);
  }
  throw new Error('the options tab opened on install is not there');
}

/**
 * Adds an OAuth connection to `sandbox` (in the dialect it speaks) on the options page and signs
 * `user` in through the sandbox's consent page, as a recruiter would. Resolves to the connection's id.
 */
export async function connectSandbox(session, sandbox, { caption = 'Sandbox', user = 'recruiter@sprout.test' } = {}) {
  const page = await optionsTab(session);
  await page.waitForSelector('[data-testid=no-connections], [data-testid=connection]', { timeout: 15000 });
  const idle = () => page.waitForFunction(() => !document.querySelector('[data-testid=add]').disabled, { timeout: 30000 });
  await page.click('[data-testid=add]');
  await page.waitForSelector('#client-id');
  await fill(page, '#caption', caption);
  await fill(page, '#api-base-url', sandbox.api);
  await fill(page, '#dialect', sandbox.dialect);
  await fill(page, '#client-id', 'sprout-extension');
  await fill(page, '#authorize-url', `${sandbox.origin}/oauth/authorize`);
  await fill(page, '#token-url', `${sandbox.origin}/oauth/token`);
  await page.click('[data-testid=save]');
  await idle();
  const id = await page.$$eval('[data-testid=connection]', (rows, c) =>
    rows.find((x) => x.querySelector('[data-testid=caption]').textContent === c)?.dataset.id, caption);
  if (!id) throw new Error(`the connection ${caption} was not saved`);
  await registerCallback(page, sandbox, caption);
  await page.click(`[data-id="${id}"] [data-testid=sign-in]`);
  let consent;
  for (let i = 0; i < 80 && !consent; i++) {
    for (const p of await session.browser.pages()) {
      const href = await p.evaluate(() => location.href).catch(() => '');
      if (href.startsWith(`${sandbox.origin}/oauth/authorize`)) consent = p;
    }
    if (!consent) await sleep(250);
  }
  if (!consent) throw new Error('the consent page did not open');
  await consent.waitForSelector('#allow');
  await consent.select('#user', user);
  await consent.click('#allow');
  await idle();
  const state = await page.$eval(`[data-id="${id}"] [data-testid=state]`, (e) => e.textContent);
  if (!state.startsWith('Signed in as')) throw new Error(`sign-in of ${user} ended as: ${state}`);
  return id;
}

/** Presses the extension's toolbar button on `page`'s tab through CDP, then closes the popup it opened. */
export async function pressAction(session, page) {
  const cdp = await session.browser.target().createCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets', { filter: [{}] });
    const tab = targetInfos.find((t) => t.type === 'tab' && t.url === page.url());
    if (!tab) throw new Error(`no tab target for ${page.url()}`);
    await page.bringToFront();
    await cdp.send('Extensions.triggerAction', { id: new URL(session.origin).host, targetId: tab.targetId });
    const popup = await session.browser.waitForTarget((t) => t.url() === `${session.origin}/popup.html`, { timeout: 10000 });
    await (await popup.page())?.close();
  } finally {
    await cdp.detach();
  }
}

/**
 * Serves the fixture pages (tests/fixtures/pages/<site>/<case>.html) at the addresses in their
 * <case>.json, as an HTTP proxy: plain requests by absolute URL, and https through CONNECT with a
 * throwaway self-signed certificate (the browser is told to accept it). Anything else is a 404.
 */
export async function serveFixtureSites(folder) {
  const byAddress = new Map();
  for (const site of readdirSync(folder, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of readdirSync(join(folder, site.name)).filter((f) => f.endsWith('.json'))) {
      const { url } = JSON.parse(readFileSync(join(folder, site.name, file), 'utf8'));
      const u = new URL(url);
      byAddress.set(`${u.host}${u.pathname}`, join(folder, site.name, file.replace(/\.json$/, '.html')));
    }
  }
  const keys = mkdtempSync(join(tmpdir(), 'sprout-fixture-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=sprout-fixtures',
    '-keyout', join(keys, 'key.pem'), '-out', join(keys, 'cert.pem')], { stdio: 'ignore' });
  const tls = { key: readFileSync(join(keys, 'key.pem')), cert: readFileSync(join(keys, 'cert.pem')) };
  const requests = [];
  const server = createServer((req, res) => {
    const u = new URL(req.url, `https://${req.headers.host}`);
    const file = byAddress.get(`${u.host}${u.pathname}`);
    requests.push(`${u.host}${u.pathname} ${file ? 200 : 404}`);
    if (!file) return res.writeHead(404).end('not a fixture');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(readFileSync(file));
  });
  server.on('connect', (req, socket) => {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    server.emit('connection', new TLSSocket(socket, { isServer: true, ...tls }));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: server.address().port,
    requests,
    close: () => new Promise((ok) => {
      server.closeAllConnections();
      server.close(ok);
    }),
  };
}

/**
 * Firefox: grants the extension's optional https://*\/* host access, as a recruiter does in the
 * add-on's permissions tab (a test cannot press the toolbar button there to get activeTab).
 * permissions.request() needs a user action, so a real click on a button added to the page.
 */
export async function grantHttpsAccess(page) {
  await page.evaluate(() => {
    const b = document.createElement('button');
    b.id = 'grant-for-test';
    b.textContent = 'grant';
    b.onclick = async () => {
      b.dataset.granted = String(await chrome.permissions.request({ origins: ['https://*/*'] }).catch((e) => e.message));
    };
    document.body.prepend(b);
  });
  await page.click('#grant-for-test');
  await page.waitForFunction(() => document.querySelector('#grant-for-test').dataset.granted !== undefined, { timeout: 10000 });
  const granted = await page.$eval('#grant-for-test', (b) => b.dataset.granted);
  await page.$eval('#grant-for-test', (b) => b.remove());
  if (granted !== 'true') throw new Error(`https access not granted: ${granted}`);
}

/**
 * Registers with `server` (a sandbox) the callback URL the options page shows for the connection
 * named `caption`, as an administrator does in Greenhouse: each connection signs in on its own
 * path, known once the server's address is. Resolves to that URL.
 */
export async function registerCallback(page, server, caption) {
  const uri = await page.$$eval('[data-testid=connection]', (rows, c) =>
    rows.find((x) => x.querySelector('[data-testid=caption]').textContent === c)
      ?.querySelector('[data-testid=callback-url]')?.textContent, caption);
  if (!uri) throw new Error(`no callback URL shown for ${caption}`);
  await server.admin('redirect_uris', { uri });
  return uri;
}

/**
 * Starts target/debug/sprout-relay on a free loopback port in front of `tokenUrl` (and, for
 * Firefox's sign-in window, `authorizeUrl`), the secret in its environment as an operator would pass it; resolves once it says where it listens. `log`
 * holds every line it wrote.
 */
export async function startRelay({ tokenUrl, authorizeUrl, secret, allow, clientId = 'sprout-extension' }) {
  // The relay names itself (--public-url) in its answers, so it must know its address at start.
  const port = await new Promise((ok) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address();
      probe.close(() => ok(free));
    });
  });
  const child = spawn(join(ROOT, 'target/debug/sprout-relay'),
    ['--listen', `127.0.0.1:${port}`, '--public-url', `http://127.0.0.1:${port}`, '--token-url', tokenUrl, '--client-id', clientId,
      ...allow.flatMap((a) => ['--allow-redirect', a]), ...(authorizeUrl ? ['--authorize-url', authorizeUrl] : [])], {
      env: { ...process.env, SPROUT_RELAY_CLIENT_SECRET: secret, SPROUT_RELAY_LOG: 'sprout_relay=debug,warn' },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
  const log = [];
  const lines = createInterface({ input: child.stderr });
  const origin = await new Promise((ok, fail) => {
    child.once('exit', (code) => fail(new Error(`sprout-relay exited with ${code}: ${log.join('\n')}`)));
    lines.on('line', (line) => {
      log.push(line);
      const m = line.match(/listening on (http:\/\/[^\s]+)/);
      if (m) ok(m[1]);
    });
  });
  return { origin, log, stop: () => child.kill() };
}

/** Everything in the extension's IndexedDB store `store` (from one of its pages), as JSON text of [key, value] pairs. */
export const indexedDbStore = (page, store) =>
  page.evaluate((name) => new Promise((ok, fail) => {
    const open = indexedDB.open('sprout');
    open.onerror = () => fail(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(name)) {
        db.close();
        return ok('[]');
      }
      const objects = db.transaction(name).objectStore(name);
      const keys = objects.getAllKeys();
      const values = objects.getAll();
      values.onsuccess = () => {
        db.close();
        ok(JSON.stringify(keys.result.map((k, i) => [k, values.result[i]])));
      };
      values.onerror = () => fail(values.error);
    };
  }), store);

/** Sends one message to the background from an extension page, as the popup or options page does. */
export const messenger = (page) => (message) => page.evaluate((m) => chrome.runtime.sendMessage(m), message);

/** The answer in the background's reply to a request; a failure or refusal throws, with the reply. */
export function answerOf(reply) {
  if (reply?.type !== 'answer') throw new Error(`the background did not answer: ${JSON.stringify(reply)}`);
  return reply.answer;
}

/**
 * Adds a Partner-key connection to `sandbox` by message from the extension page `page` (no consent
 * window to click through) and reads the sandbox's prospect pools: where a test that is not about
 * signing in starts. Resolves to `{ connectionId, pools }`.
 */
export async function keyConnection(page, sandbox, { user = 'recruiter@sprout.test', key = 'sandbox-partner-key' } = {}) {
  const reply = await messenger(page)({
    type: 'save_connection',
    connection: { caption: 'Sandbox', api_base_url: sandbox.api, auth: { mode: 'partner_key', on_behalf_of: user } },
    secret: key,
  });
  if (reply.type !== 'answer') throw new Error(`the connection was not saved: ${JSON.stringify(reply)}`);
  const saved = reply.answer;
  const pools = await fetch(`${sandbox.api}/prospect_pools`, {
    headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}`, 'on-behalf-of': user },
  }).then((r) => r.json());
  const connectionId = saved.connections.find((c) => c.connection.api_base_url === sandbox.api).connection.id;
  return { connectionId, pools };
}

/**
 * Sends what the popup's form holds to `pool` at its first stage, and waits until the outbox
 * says it was delivered (or fails with what the popup says).
 */
export async function sendToPool(popup, pool) {
  await popup.click('[data-testid=target-prospect]');
  await popup.type('[data-testid=pool-search]', pool.name);
  await popup.waitForSelector(`[data-testid=pool-option-${pool.id}]`, { timeout: 30000 });
  await popup.click(`[data-testid=pool-option-${pool.id}]`);
  await fill(popup, '[data-testid=stage]', String(pool.stages[0].id));
  await popup.click('[data-testid=submit]');
  await popup
    .waitForFunction(() => document.querySelector('[data-testid^=outbox-item-]')?.dataset.state === 'delivered', { timeout: 60000 })
    .catch(async () => { throw new Error(`not delivered: ${await popup.$eval('main', (e) => e.innerText)}`); });
}
