// In-browser benchmark of the content script (`./build.sh bench`): on the benchmarks' 2 MB
// LinkedIn-shaped page served on loopback, the time from injection (scripting.executeScript) to
// the Profile back in the extension, in Chromium and Firefox. Medians, not assertions.
// The page is served from 127.0.0.1, so the LinkedIn adapter (which keys on the host) does not
// engage: the figures are the cost of reading, pruning, parsing and the generic layers.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, serveFolder, launch } from './harness.mjs';

const RUNS = Number(process.env.RUNS ?? 20);
const BYTES = 2 * 1024 * 1024;
const folder = mkdtempSync(join(tmpdir(), 'sprout-bench-'));
writeFileSync(
  join(folder, 'linkedin.html'),
  execFileSync('cargo', ['run', '--quiet', '--release', '--example', 'linkedin-page', '--', String(BYTES)], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  }),
);
const pages = await serveFolder(folder);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => x.toFixed(1).padStart(7);

console.log(`page: ${BYTES} bytes, ${RUNS} runs per row; times in ms (median)`);
console.log('browser   case                                         inject→Profile     load  serialize  extract');
for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  const session = await launch(browserName, join(ROOT, dist));
  try {
    const { page, tabId } = await session.webPage(pages.url('linkedin.html'));
    const probe = await session.extensionPage('options.html');
    const inject = () =>
      probe.evaluate(async (tab) => {
        const started = performance.now();
        const [{ result }] = await chrome.scripting.executeScript({ target: { tabId: tab }, files: ['content.js'] });
        if (result?.type !== 'page_read') throw new Error(`no profile: ${JSON.stringify(result).slice(0, 300)}`);
        return { total: performance.now() - started, ...result.timings, profile: JSON.stringify(result.profile) };
      }, tabId);
    const rows = { 'fresh page each run (module load + compile)': [], 'same page, module already loaded': [] };
    for (let i = 0; i < RUNS; i++) {
      await page.reload({ waitUntil: 'load' });
      rows['fresh page each run (module load + compile)'].push(await inject());
      rows['same page, module already loaded'].push(await inject());
    }
    for (const [label, runs] of Object.entries(rows)) {
      const results = new Set(runs.map((r) => r.profile));
      if (results.size !== 1) throw new Error(`runs disagree: ${[...results].join(' / ')}`);
      console.log(
        `${browserName.padEnd(9)} ${label.padEnd(44)} ${fmt(median(runs.map((r) => r.total)))}         ` +
          `${fmt(median(runs.map((r) => r.load_ms)))}  ${fmt(median(runs.map((r) => r.serialize_ms)))}  ` +
          `${fmt(median(runs.map((r) => r.extract_ms)))}`,
      );
    }
  } finally {
    await session.close();
  }
}
await pages.close();
