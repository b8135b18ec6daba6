// `./build.sh bench`: the figures of issue 13 in Chromium and Firefox ESR, printed as one table on
// stdout (progress on stderr). RUNS (default 15) runs per figure; BENCH_BROWSERS=chromium limits
// the browsers. Medians and p95, never assertions: a loaded machine changes the figures, and the
// header says how loaded it was.
//   1. In-page read, Sprout vs a peer-style JS extractor (bench/peer.mjs), same page, same run, A/B
//      interleaved, on a fresh (reloaded) page and warm (same page again), on four generated pages.
//      Sprout's read is timed as the peer's is, from an idle extension page (the probe):
//      executeScript(content.js) → the view → `extract_page` of the extractor's wasm, loaded there
//      beforehand as the popup loads it → Profile. Also, when the build marks them, the read in the
//      popup opened for the tab (`sprout:read-start` → `sprout:page-read`), which runs while the
//      popup compiles its wasm: part of goal 3's breakdown, not goal 2's comparison.
//   2. Popup navigation start → the person's name shown, 10 and 10,000 jobs, first open on a
//      freshly loaded page and again, with the popup's own marks as the breakdown (n/a if absent),
//      and the floor beside it: a blank extension page (bench/floor/) opened the same way, its
//      load, first paint and one no-op executeScript round trip into the tab.
//   3. Type-ahead per keystroke in the job picker with 10,000 jobs (`sprout:filter` measures).
//   4. wasm and injected-script sizes in dist/chrome, raw and gzipped, and the sum of the wasm the
//      popup loads (its UI and, when the build has one, the extractor).
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, serveFolder, serveFixtureSites, launch, startSandbox, keyConnection, messenger } from './harness.mjs';
import { personalPage, githubPage, linkedinPage, LINKEDIN_URL } from './bench/pages.mjs';
import { probePage, popupOpener, webPage } from './bench/tabs.mjs';

const RUNS = Number(process.env.RUNS ?? 15);
const BROWSERS = (process.env.BENCH_BROWSERS ?? 'chromium,firefox').split(',');
// BENCH_PARTS='popup to form' (or 'in-page read') measures one part only.
const PARTS = process.env.BENCH_PARTS?.split(',');
const DIST = { chromium: 'dist/dev/chrome', firefox: 'dist/dev/firefox' };
const started = Date.now();
const loadAtStart = loadavg();
const progress = (...words) => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...words);

// --- what is measured, and on what ------------------------------------------------------------

progress('building the sandbox and generating the pages');
execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox', '--bin', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });
const folder = mkdtempSync(join(tmpdir(), 'sprout-bench-'));
const PAGES = [
  { file: 'personal.html', label: '2 KB personal page (h-card, rel=me)', html: personalPage() },
  { file: 'github.html', label: '200 KB GitHub-like profile', html: githubPage(200 * 1024) },
  // At its linkedin.com address, so that Sprout's LinkedIn adapter (which keys on the host) is what
  // is measured, as on the site; the others from 127.0.0.1.
  { file: 'linkedin.html', label: '2 MB LinkedIn-shaped profile', html: linkedinPage(2 * 1024 * 1024), url: LINKEDIN_URL },
  { file: 'large.html', label: '10 MB GitHub-like profile (long activity feed)', html: githubPage(10 * 1024 * 1024) },
];
for (const p of PAGES) writeFileSync(join(folder, p.file), p.html);
const site = await serveFolder(folder);
// Pages at real addresses come, as in the capture tests, from the harness's fixture proxy on
// 127.0.0.1 (every other address is a 404 there), laid out as tests/fixtures/pages is.
const sites = join(folder, 'sites');
for (const p of PAGES.filter((x) => x.url)) {
  const dir = join(sites, p.file.replace(/\.html$/, ''));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench.html'), p.html);
  writeFileSync(join(dir, 'bench.json'), JSON.stringify({ url: p.url }));
}
const proxy = await serveFixtureSites(sites);
const pageUrl = (p) => p.url ?? site.url(p.file);

// The build marks the read in the popup (the page view design) or not (executeScript → Profile).
const shipped = (dir) => readdirSync(join(ROOT, dir), { recursive: true })
  .filter((f) => /\.(js|wasm)$/.test(f))
  .some((f) => readFileSync(join(ROOT, dir, f), 'latin1').includes('sprout:page-read'));
const MARKED = shipped('dist/dev/chrome');
const SPROUT_READ = 'chrome.scripting.executeScript({files: content.js}) → extract_page (extractor wasm loaded beforehand) → Profile, ' +
  `timed from an extension page as the peer is${MARKED ? '; also the read in the popup opened for the tab (sprout:read-start → sprout:page-read)' : ''}`;

/**
 * The build the benchmark loads: a copy of the dev build with the floor page added, and host access
 * to the pages served at real addresses (the probe page injects into their tabs as it does into
 * 127.0.0.1's), so that neither ever ships.
 */
function benchCopy(browserName) {
  const dir = mkdtempSync(join(tmpdir(), `sprout-bench-${browserName}-`));
  cpSync(join(ROOT, DIST[browserName]), dir, { recursive: true });
  for (const f of ['floor.html', 'floor.js']) copyFileSync(join(ROOT, 'tests/e2e/bench/floor', f), join(dir, f));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  for (const p of PAGES.filter((x) => x.url)) manifest.host_permissions.push(`${new URL(p.url).origin}/*`);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

// --- statistics and the table -----------------------------------------------------------------

const sorted = (xs) => xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  if (!s.length) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Nearest rank: the smallest value at least 95% of the runs do not exceed. */
const p95 = (xs) => {
  const s = sorted(xs);
  return s.length ? s[Math.ceil(0.95 * s.length) - 1] : NaN;
};
const ms = (x) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const times = (x) => (Number.isFinite(x) ? `${x.toFixed(1)}×` : 'n/a');

/** Row labels in the order they were first measured; cell.get(label)[browser] = [median, p95] as text. */
const rows = [];
const cell = new Map();
function put(label, browser, median_, p95_ = '') {
  if (!cell.has(label)) {
    cell.set(label, {});
    rows.push(label);
  }
  cell.get(label)[browser] = [median_, p95_];
}
const figure = (label, browser, xs) => put(label, browser, ms(median(xs)), ms(p95(xs)));

// --- 1. in-page read ----------------------------------------------------------------------------

/**
 * Times one Sprout read of tab `tabId` as the peer's is timed, from the idle probe page: the
 * reader injected (executeScript of content.js), its view handed to the extractor's wasm already
 * loaded there (`extract_page`, as the popup calls it), the Profile found. Resolves to milliseconds,
 * the name found, and where the time went (the view's own timings, filled in by content.js and
 * the wasm). A build whose reader extracts in the page (no extractor's wasm) answers the Profile itself.
 */
const sproutRead = (probe) => (tabId) => probe.evaluate(async (tab) => {
  const t0 = performance.now();
  const [{ result }] = await chrome.scripting.executeScript({ target: { tabId: tab }, files: ['content.js'] });
  const t1 = performance.now();
  const [began, ended] = [result?.timings?.began_at, result?.timings?.ended_at];
  const read = result?.type === 'page_view' && globalThis.__benchExtract ? globalThis.__benchExtract(result) : result;
  const t2 = performance.now();
  if (!read?.profile) throw new Error(`content.js answered ${JSON.stringify(result).slice(0, 300)}`);
  const timings = read.timings ?? {};
  return {
    ms: t2 - t0,
    found: read.profile.name?.value ?? [read.profile.first_name?.value, read.profile.last_name?.value].filter(Boolean).join(' '),
    reader: t1 - t0,
    load: timings.load_ms,
    walk: timings.serialize_ms,
    extract: t2 - t1,
    extractWasm: timings.extract_ms,
    viewUnits: read.html_len,
    wayIn: began - (performance.timeOrigin + t0),
    wayOut: performance.timeOrigin + t1 - ended,
  };
}, tabId);

/**
 * Times one read by the popup opened for tab `tabId`, `sprout:read-start` → `sprout:page-read`:
 * there the read runs while the popup compiles its two wasm modules on the same cores (goal 3's
 * breakdown, not goal 2's comparison). Null for a build without the marks.
 */
function popupRead(openPopup) {
  if (!MARKED) return null;
  return async (tabId) => {
    const popup = await openPopup(tabId);
    try {
      await popup.page.waitForFunction(() => performance.getEntriesByName('sprout:page-read').length > 0, { timeout: 60000 });
      return await popup.page.evaluate(() => {
        const at = (n) => performance.getEntriesByName(n, 'mark')[0]?.startTime;
        const [start, view, wasm, extractor, read] = ['read-start', 'view-read', 'wasm-ready', 'extractor-ready', 'page-read']
          .map((n) => at(`sprout:${n}`));
        // The whole read, and its two halves: the reader's executeScript round trip, and the
        // extraction once both the view and the wasm that extracts are there (the extractor's
        // own wasm when the build has one, else the popup's).
        return { ms: read - start, reader: view - start, extract: read - Math.max(view, extractor ?? wasm), found: 'marked' };
      });
    } finally {
      await popup.close();
    }
  };
}

const peerRead = (probe) => (tabId) => probe.evaluate(async (tab) => {
  const t0 = performance.now();
  const [{ result }] = await chrome.scripting.executeScript({ target: { tabId: tab }, func: globalThis.__benchPeer });
  const took = performance.now() - t0;
  if (!result?.names) throw new Error(`the peer answered ${JSON.stringify(result).slice(0, 300)}`);
  return { ms: took, found: result.names.join(' / ') };
}, tabId);

async function inPageRead(session, probe, openPopup) {
  const readers = { sprout: sproutRead(probe), peer: peerRead(probe), popup: popupRead(openPopup) };
  for (const p of PAGES) {
    progress(`${session.browserName}: in-page read, ${p.label}`);
    await readOnePage(session, readers, probe, p).catch((e) => notMeasured(`${session.browserName}, in-page read, ${p.label}`, e));
  }
}

/** The figures of one reader's runs: `key` of each run's result, fresh and warm. */
const runsOf = (results, key) => ({ fresh: results.fresh.map((r) => r[key]), warm: results.warm.map((r) => r[key]) });

/** One page: RUNS reads by each reader, fresh and warm; adds its rows. */
async function readOnePage(session, readers, probe, p) {
  const { page, tabId } = await webPage(session, probe, pageUrl(p));
  const who = Object.keys(readers).filter((w) => readers[w]);
  const results = Object.fromEntries(who.map((w) => [w, { fresh: [], warm: [] }]));
  try {
    for (let i = 0; i < RUNS; i++) {
      // A/B interleaved: each run reads with each reader, taking turns at going first.
      for (const w of [...who.slice(i % who.length), ...who.slice(0, i % who.length)]) {
        await page.reload({ waitUntil: 'load' });
        for (const when of ['fresh', 'warm']) results[w][when].push(await readers[w](tabId));
      }
    }
  } finally {
    await page.close();
  }
  const found = Object.fromEntries(who.map((w) => [w, new Set([...results[w].fresh, ...results[w].warm].map((r) => r.found))]));
  for (const w of who) {
    if (found[w].size !== 1) throw new Error(`${w} found different things in different runs: ${[...found[w]].join(' / ')}`);
  }
  // The same person: Sprout's name is one of the peer's (which may be a page title around it).
  const [sproutName, peerNames] = [[...found.sprout][0], [...found.peer][0]];
  // Not a reason to drop the figures (both did their whole work), but said under the table.
  if (!sproutName || !peerNames.includes(sproutName)) {
    notes.push(`${session.browserName}, ${p.label}: Sprout found "${sproutName}", the peer "${peerNames}"`);
  }
  const [sprout, peer] = [runsOf(results.sprout, 'ms'), runsOf(results.peer, 'ms')];
  const part = (key) => runsOf(results.sprout, key);
  const [reader, load, walk, extract, extractWasm, wayIn, wayOut] = ['reader', 'load', 'walk', 'extract', 'extractWasm', 'wayIn', 'wayOut'].map(part);
  const units = part('viewUnits');
  const popup = results.popup && { all: runsOf(results.popup, 'ms'), reader: runsOf(results.popup, 'reader'), extract: runsOf(results.popup, 'extract') };
  for (const when of ['fresh', 'warm']) {
    const base = `in-page read, ${when === 'fresh' ? 'fresh page' : 'warm (same page again)'}: ${p.label}`;
    const row = (what, xs) => figure(`${base} | ${what}`, session.browserName, xs[when]);
    row('Sprout (executeScript(content.js) → extract_page in the probe page → Profile)', sprout);
    row('peer JS', peer);
    put(`${base} | Sprout/peer`, session.browserName, times(median(sprout[when]) / median(peer[when])),
      times(p95(sprout[when]) / p95(peer[when])));
    row('  reader round trip (executeScript → the view back)', reader);
    row('    content.js: base64 decode + initSync of the reader wasm (view.timings.load_ms)', load);
    row('    DOM walk → view (view.timings.serialize_ms)', walk);
    row('    the rest: injection, script parse, structured clone of the view', {
      [when]: reader[when].map((r, i) => r - load[when][i] - walk[when][i]),
    });
    row('      of which the way in: executeScript called → content.js runs (injection, script parse)', wayIn);
    row('      of which the way out: content.js returns → the view in the probe (structured clone)', wayOut);
    row('  extraction (extract_page: view into wasm, extract, Profile out)', extract);
    row('    sprout::extract in the wasm (timings.extract_ms)', extractWasm);
    put(`${base} |   view size, K UTF-16 units (not ms)`, session.browserName, (median(units[when]) / 1024).toFixed(0));
    if (popup) {
      row('Sprout in the popup, while it loads its wasm (sprout:read-start → sprout:page-read; goal 3)', popup.all);
      row('  its reader (executeScript round trip)', popup.reader);
      row('  its extraction (view and extracting wasm there → sprout:page-read)', popup.extract);
    }
  }
}

// --- 2 and 3. popup to form, type-ahead ------------------------------------------------------------

/** What one opened popup says of itself, all from its navigation start (its time origin); NaN if unmarked. */
const popupTimes = async (page) => {
  const t = await page.evaluate(() => {
    const at = (n) => performance.getEntriesByName(n, 'mark')[0]?.startTime ?? null;
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      load: nav?.domContentLoadedEventEnd ?? null,
      wasmReady: at('sprout:wasm-ready'),
      extractorReady: at('sprout:extractor-ready'),
      readStart: at('sprout:read-start'),
      viewRead: at('sprout:view-read'),
      pageRead: at('sprout:page-read'),
      catalog: at('sprout:catalog'),
      target: at('sprout:target-shown'),
      formReady: at('sprout:form-ready'),
      nameMark: at('sprout:name-shown'),
      nameSeen: globalThis.__benchNameShown ?? null,
    };
  });
  // Missing marks come back as null, which arithmetic would take for 0.
  const n = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v === null ? NaN : v]));
  return { ...n, name: t.nameMark ?? n.nameSeen, nameMarked: t.nameMark !== null };
};

/** What the floor page (bench/floor/) says of itself, from its navigation start; NaN if it did not. */
const floorTimes = async (page) => {
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const paint = performance.getEntriesByName('first-paint')[0] ?? performance.getEntriesByName('first-contentful-paint')[0];
    return {
      load: nav?.domContentLoadedEventEnd ?? null,
      paint: paint?.startTime ?? null,
      read: performance.getEntriesByName('bench:floor-read', 'mark')[0]?.startTime ?? null,
    };
  });
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v === null ? NaN : v]));
};

/** The floor page's round trip into the tab has answered (or failed), and it has painted if it will. */
async function openFloor(openPopup, tabId) {
  const floor = await openPopup(tabId, 'floor.html');
  await floor.page.bringToFront();
  await floor.page.waitForFunction(() => performance.getEntriesByName('bench:floor-read').length > 0 ||
    performance.getEntriesByName('bench:floor-failed').length > 0, { timeout: 60000 });
  await floor.page.waitForFunction(() => performance.getEntriesByType('paint').length > 0, { timeout: 5000 }).catch(() => {});
  const times = await floorTimes(floor.page);
  await floor.close();
  return times;
}

/** The name is shown, or nothing could tell (no mark, and no observer: Firefox). */
const nameShown = () => performance.getEntriesByName('sprout:name-shown').length > 0 ||
  (globalThis.__benchObserving ? globalThis.__benchNameShown !== undefined : true);
const formReady = () => performance.getEntriesByName('sprout:form-ready').length > 0;

/** Types `query` in the job search; resolves to the `sprout:filter` durations, one per filtering. */
async function typeAhead(page, query) {
  await page.click('[data-testid=target-job]');
  await page.waitForSelector('[data-testid=job-search]', { timeout: 10000 });
  await page.evaluate(() => performance.clearMeasures('sprout:filter'));
  await page.type('[data-testid=job-search]', query, { delay: 80 });
  await page.waitForFunction(() => performance.getEntriesByName('sprout:filter').length > 0, { timeout: 10000 });
  // Let the last keystroke's filtering finish: the figure is a duration, not a wait.
  await new Promise((ok) => setTimeout(ok, 300));
  return page.evaluate(() => performance.getEntriesByName('sprout:filter').map((e) => e.duration));
}

async function popupToForm(session, probe, openPopup, connections) {
  const { page, tabId } = await webPage(session, probe, site.url('github.html'));
  const typing = [];
  let typingFailed = null;
  // The floor is measured between the popup's runs, on a page reloaded for it, so that a popup's
  // first open still reads a page no extension script has run in.
  const floor = { first: [], again: [] };
  for (const [jobs, connectionId] of connections) {
    progress(`${session.browserName}: popup to form, ${jobs} jobs`);
    await messenger(probe)({ type: 'set_active_connection', id: connectionId });
    const reply = await messenger(probe)({ type: 'status' });
    // Builds since the typed requests wrap each answer; the "before" build answers it bare.
    const switched = reply?.type === 'answer' ? reply.answer : reply;
    if (switched?.active !== connectionId) {
      throw new Error(`could not make ${connectionId} active: ${JSON.stringify(switched).slice(0, 300)}`);
    }
    const open = async () => {
      const popup = await openPopup(tabId);
      await popup.page.bringToFront();
      await popup.page.waitForFunction(formReady, { timeout: 120000 });
      await popup.page.waitForFunction(nameShown, { timeout: 10000 }).catch(() => {});
      // The picker fills in after the form; its figure is read once it has (n/a if it never does).
      await popup.page.waitForFunction(() => performance.getEntriesByName('sprout:catalog').length > 0, { timeout: 30000 }).catch(() => {});
      return popup;
    };
    // The first popup of a connection fetches and caches its catalog: not what a recruiter waits for daily.
    await (await open()).close();
    const runs = { first: [], again: [] };
    for (let i = 0; i < RUNS; i++) {
      await page.reload({ waitUntil: 'load' });
      for (const when of ['first', 'again']) {
        const popup = await open();
        runs[when].push(await popupTimes(popup.page));
        if (when === 'again' && jobs >= 10000 && !typingFailed) {
          try {
            typing.push(...(await typeAhead(popup.page, ['engineer', 'senior', 'manager', 'design'][i % 4])));
          } catch (e) {
            typingFailed = e.message.split('\n')[0];
            progress(`type-ahead not measured: ${typingFailed}`);
          }
        }
        await popup.close();
      }
      await page.reload({ waitUntil: 'load' });
      for (const when of ['first', 'again']) floor[when].push(await openFloor(openPopup, tabId));
    }
    for (const when of ['first', 'again']) {
      const r = runs[when];
      const base = `popup, ${jobs.toLocaleString('en')} jobs, ${when === 'first' ? 'first open on a fresh page' : 'again (same page)'}`;
      figure(`${base} | navigation start → name shown${r.every((x) => x.nameMarked) ? '' : ' (*)'}`, session.browserName, r.map((x) => x.name));
      figure(`${base} | navigation start → sprout:form-ready`, session.browserName, r.map((x) => x.formReady));
      figure(`${base} |   popup load (navigation start → DOMContentLoaded end)`, session.browserName, r.map((x) => x.load));
      figure(`${base} |   wasm init (DOMContentLoaded end → sprout:wasm-ready)`, session.browserName, r.map((x) => x.wasmReady - x.load));
      figure(`${base} |   extractor's wasm init (DOMContentLoaded end → sprout:extractor-ready)`, session.browserName, r.map((x) => x.extractorReady - x.load));
      figure(`${base} |   page read (sprout:read-start → sprout:page-read)`, session.browserName, r.map((x) => x.pageRead - x.readStart));
      figure(`${base} |     of which the reader's answer (sprout:read-start → sprout:view-read)`, session.browserName, r.map((x) => x.viewRead - x.readStart));
      figure(`${base} |   read start (navigation start → sprout:read-start)`, session.browserName, r.map((x) => x.readStart));
      figure(`${base} |   target as remembered (navigation start → sprout:target-shown)`, session.browserName, r.map((x) => x.target));
      figure(`${base} |   catalog (navigation start → sprout:catalog)`, session.browserName, r.map((x) => x.catalog));
      figure(`${base} |   render (sprout:page-read → name shown)`, session.browserName, r.map((x) => x.name - x.pageRead));
    }
  }
  await page.close();
  for (const when of ['first', 'again']) {
    const r = floor[when];
    const base = `floor: a blank extension page opened as the popup is (bench/floor/, not in dist/), ${when === 'first' ? 'on a fresh page' : 'again (same page)'}`;
    figure(`${base} | navigation start → DOMContentLoaded end`, session.browserName, r.map((x) => x.load));
    figure(`${base} | navigation start → first paint`, session.browserName, r.map((x) => x.paint));
    figure(`${base} | navigation start → a no-op executeScript's answer from the tab`, session.browserName, r.map((x) => x.read));
  }
  const label = 'type-ahead, 10,000 jobs | per keystroke (sprout:filter)';
  if (typingFailed) put(label, session.browserName, 'n/a', 'n/a');
  else figure(label, session.browserName, typing);
}

// --- the run --------------------------------------------------------------------------------------

const versions = {};
/** What could not be measured, and why: said under the table rather than ending the run. */
const failures = [];
/** What was measured but did not agree (the two extractors finding different people). */
const notes = [];
function notMeasured(what, e) {
  failures.push(`${what}: ${String(e?.message ?? e).split('\n')[0]}`);
  progress(`not measured: ${failures.at(-1)}`);
}
const sandboxes = [[10, await startSandbox(['--jobs', '10'])], [10000, await startSandbox(['--jobs', '10000'])]];
try {
  for (const browserName of BROWSERS) {
    progress(`${browserName}: starting`);
    const session = await launch(browserName, benchCopy(browserName), { proxyPort: proxy.port });
    try {
      versions[browserName] = await session.browser.version();
      const probe = await probePage(session);
      const openPopup = popupOpener(session, probe);
      const connections = [];
      for (const [jobs, sandbox] of sandboxes) connections.push([jobs, (await keyConnection(probe, sandbox)).connectionId]);
      for (const [what, section] of [
        ['in-page read', () => inPageRead(session, probe, openPopup)],
        ['popup to form', () => popupToForm(session, probe, openPopup, connections)],
      ].filter(([what]) => !PARTS || PARTS.includes(what))) {
        await section().catch((e) => notMeasured(`${browserName}, ${what}`, e));
      }
    } finally {
      await session.close();
    }
  }
} finally {
  for (const [, sandbox] of sandboxes) sandbox.stop();
  await site.close();
  await proxy.close();
}

// --- 4. sizes ---------------------------------------------------------------------------------------

const sizes = [];
const dist = join(ROOT, 'dist/chrome');
const background = new Set(['background.js', 'popup.js', 'options.js']);
for (const f of [...readdirSync(join(dist, 'pkg')).filter((f) => f.endsWith('.wasm')).map((f) => `pkg/${f}`),
  ...readdirSync(dist).filter((f) => f.endsWith('.js') && !background.has(f))]) {
  // gzip -9 itself, as ./build.sh's size table and the README count.
  sizes.push([f, readFileSync(join(dist, f)).length, execFileSync('gzip', ['-9c', join(dist, f)]).length]);
}
// What opening the popup loads: its UI wasm, and the extractor's wasm when the build has one.
const popupLoads = sizes.filter(([f]) => ['pkg/sprout_popup_bg.wasm', 'pkg/sprout_extractor_bg.wasm'].includes(f));
sizes.push([`popup loads (${popupLoads.map(([f]) => f.replace(/^pkg\/sprout_|_bg\.wasm$/g, '')).join(' + ')})`,
  ...[1, 2].map((i) => popupLoads.reduce((sum, row) => sum + row[i], 0))]);

// --- print -----------------------------------------------------------------------------------------

const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
const took = (Date.now() - started) / 60000;
const names = { chromium: 'Chromium', firefox: 'Firefox ESR' };
console.log(`Sprout benchmark (./build.sh bench), ${new Date(started).toISOString().replace(/\.\d+Z$/, 'Z')}; ` +
  `${BROWSERS.map((b) => `${names[b]} ${versions[b] ?? '?'}`).join(', ')}; RUNS=${RUNS}; took ${took.toFixed(1)} min`);
console.log(`load average (1/5/15 min): ${load(loadAtStart)} at start, ${load(loadavg())} at end; ` +
  `${cpus().length} cores`);
console.log(`Sprout's in-page read: ${SPROUT_READ}`);
console.log('peer: tests/e2e/bench/peer.mjs injected with chrome.scripting.executeScript({func}), timed from an extension page');
console.log('times in ms; ratio = Sprout/peer (of medians | of p95s); "n/a": the build has no such mark');
console.log('name shown: the sprout:name-shown mark; (*) a build without it: when an observer installed before the popup\'s ' +
  'scripts first sees the first name filled in (DOM change or frame), n/a in Firefox, whose WebDriver cannot install one in an extension page');
const width = Math.max(...rows.map((r) => r.length)) + 2;
const col = 11;
console.log(`\n${'what'.padEnd(width)}${BROWSERS.map((b) => `${`${names[b]} median`.padStart(col + 8)}${'p95'.padStart(col)}`).join('')}`);
let lastGroup;
for (const label of rows) {
  const [group, what] = label.split(' | ');
  if (group !== lastGroup) {
    console.log(`\n${group}`);
    lastGroup = group;
  }
  const c = cell.get(label);
  console.log(`  ${what.padEnd(width - 2)}${BROWSERS.map((b) => `${(c[b]?.[0] ?? '').padStart(col + 8)}${(c[b]?.[1] ?? '').padStart(col)}`).join('')}`);
}
if (failures.length) console.log(`\nnot measured:\n${failures.map((f) => `  ${f}`).join('\n')}`);
if (notes.length) console.log(`\nfound different people:\n${[...new Set(notes)].map((f) => `  ${f}`).join('\n')}`);
console.log(`\n${'file (dist/chrome)'.padEnd(40)}${'raw (B)'.padStart(12)}${'gzip -9 (B)'.padStart(14)}`);
for (const [f, raw, gz] of sizes) console.log(`${f.padEnd(40)}${String(raw).padStart(12)}${String(gz).padStart(14)}`);
progress(`done in ${took.toFixed(1)} min`);
