// Derives one browser's manifest from the single source manifest.json: the differences between
// Chrome and Firefox are the short, named list below and nothing else.
// Usage: node extension/manifest.mjs SOURCE chrome|firefox release|dev|store > OUT
import { readFileSync } from 'node:fs';

const [source, browser, flavour] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(source, 'utf8'));

const differences = {
  chrome: {
    // Chrome rejects keys it does not know with a warning on the extensions page.
    dropBrowserSpecificSettings: (m) => delete m.browser_specific_settings,
  },
  firefox: {
    // Firefox MV3 runs the background as an event page, not a service worker.
    eventPageBackground: (m) => (m.background = { scripts: [m.background.service_worker], type: 'module' }),
    // The Chrome public key fixes the Chrome id; Firefox's id is the gecko id instead.
    dropChromeKey: (m) => delete m.key,
    dropChromeVersion: (m) => delete m.minimum_chrome_version,
  },
};

// Builds for tests and the demo may also reach pages and the sandbox on loopback (any port).
const flavours = {
  release: () => {},
  dev: (m) => m.host_permissions.push('http://127.0.0.1/*'),
  // The store packages: the Chrome Web Store refuses a manifest with `key` (the store assigns the
  // id). Unpacked builds keep it, so their id and OAuth redirect URL stay fixed.
  store: (m) => delete m.key,
};

if (!differences[browser] || !flavours[flavour]) {
  console.error('usage: manifest.mjs SOURCE chrome|firefox release|dev|store');
  process.exit(2);
}
// Any file listed there could be fetched by every page, which would tell it that Sprout is installed:
// the reader is injected with its wasm embedded instead, and nothing is web-accessible.
if ('web_accessible_resources' in manifest) {
  console.error('manifest.mjs: nothing may be web-accessible (web_accessible_resources)');
  process.exit(1);
}
for (const apply of Object.values(differences[browser])) apply(manifest);
flavours[flavour](manifest);
process.stdout.write(JSON.stringify(manifest, null, 2) + '\n');
