// The Firefox background starts without an error: Firefox has no storage.session.setAccessLevel,
// and calling it anyway once logged one at every start. WebDriver cannot read the background's
// console, so the harness has Firefox write its console to stdout and keeps those lines.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT, launch, withArtifacts } from './harness.mjs';

const DIST = join(ROOT, 'dist/dev/firefox');
const MARK = `sprout-e2e: the background has started (${process.pid})`;

describe('the Firefox background at start', () => {
  let session;
  before(async () => {
    session = await launch('firefox', DIST, { browserLog: true });
  });
  after(() => session?.close());

  /** Resolves once a line of the browser's output is `wanted`. */
  async function untilLogged(wanted) {
    while (!session.logLines.some(wanted)) await new Promise((ok) => setTimeout(ok, 100));
  }

  it('logs no error', (t) =>
    withArtifacts(session, t.name, async () => {
      const options = await session.extensionPage('options.html');
      // The background answers the options page only once its start has run.
      await options.waitForSelector('[data-testid=no-connections], [data-testid=connection]', { timeout: 30000 });
      // The background and this page share one process and one stdout: once this line is out,
      // so is whatever the start logged before it.
      await options.evaluate((mark) => console.log(mark), MARK);
      await untilLogged((l) => l.includes(MARK));
      // Sprout's own logs start with "sprout"; an uncaught exception names the extension's address.
      const errors = session.logLines.filter(
        (l) => /^console\.error: "?sprout/.test(l) || (/^JavaScript error:/.test(l) && l.includes(session.origin)),
      );
      assert.deepEqual(errors, [], `the background logged errors at start:\n${errors.join('\n')}`);
      console.log(`Firefox at start: ${session.logLines.length} lines of browser output, ` +
        `none an error of the extension's (${session.logLines.filter((l) => l.includes('sprout')).length} mention sprout)`);
    }));
});
