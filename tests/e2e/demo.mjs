// `./build.sh demo`: the built extension in Chromium on a loopback profile page, the popup run
// against it as a recruiter would, and a screenshot of the popup saved under dist/.
// Headless unless a display is available.
import { join } from 'node:path';
import { ROOT, serveFolder, launch } from './harness.mjs';

const pages = await serveFolder(join(ROOT, 'tests/e2e/pages'));
const session = await launch('chromium', join(ROOT, 'dist/dev/chrome'));
try {
  const url = pages.url('hello.html');
  console.log(`profile page served at ${url}`);
  const { tabId } = await session.webPage(url);
  const popup = await session.extensionPage(`popup.html?tab=${tabId}`);
  await popup.setViewport({ width: 400, height: 260 });
  await popup.waitForSelector('[data-testid=page-title], [data-testid=page-error]', { timeout: 15000 });
  const shown = await popup.$eval('main', (m) => m.innerText);
  console.log(`the popup shows:\n${shown.replace(/^/gm, '  ')}`);
  const shot = join(ROOT, 'dist/demo-popup.png');
  await popup.screenshot({ path: shot, fullPage: true });
  console.log(`screenshot: ${shot}`);
} finally {
  await session.close();
  await pages.close();
}
