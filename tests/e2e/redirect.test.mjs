// A redirect from the API server is never followed: real browsers, the built extension, a real
// sprout-sandbox on 127.0.0.1 answering the create with a 307 to another server on 127.0.0.1. A
// fetch that followed it would send the person and the Partner key there; the extension's requests
// say `redirect: "error"`, so that server must hear nothing and the capture must not be lost.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { ROOT, launch, withArtifacts, startSandbox, keyConnection, messenger, answerOf } from './harness.mjs';

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox'], { cwd: ROOT, stdio: 'inherit' });

/** A server on 127.0.0.1 that answers 201 to anything and remembers what reached it. */
async function startCatcher() {
  const heard = [];
  const server = createServer((request, response) => {
    heard.push(`${request.method} ${request.url}`);
    request.resume();
    response.writeHead(201, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
    response.end('{"id":1}');
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { heard, url: `http://127.0.0.1:${server.address().port}`, stop: () => server.close() };
}

for (const [browserName, dir] of [
  ['chromium', 'dist/dev/chrome'],
  ['firefox', 'dist/dev/firefox'],
]) {
  describe(`redirects in ${browserName}`, { timeout: 180_000 }, () => {
    let session;
    let sandbox;
    let catcher;
    let page;
    const send = (m) => messenger(page)(m);

    before(async () => {
      session = await launch(browserName, join(ROOT, dir));
      page = await session.extensionPage('options.html');
      sandbox = await startSandbox(['--redirect-uri', await page.evaluate(() => chrome.identity.getRedirectURL())]);
      catcher = await startCatcher();
    });
    after(async () => {
      catcher?.stop();
      sandbox?.stop();
      await session?.close();
    });

    it('does not follow a 307 on the create to another server, and keeps the capture', (t) =>
      withArtifacts(session, t.name, async () => {
        const { connectionId, pools } = await keyConnection(page, sandbox);
        const path = `${new URL(sandbox.api).pathname}/candidates`;
        await sandbox.admin('faults', {
          path,
          method: 'POST',
          count: 1,
          fault: { type: 'redirect', status: 307, location: `${catcher.url}${path}` },
        });

        const externalId = `sprout-redirect-${browserName}`;
        const queued = answerOf(await send({
          type: 'submit',
          capture: {
            connection_id: connectionId,
            person: { external_id: externalId, first_name: 'Ada', last_name: 'Lovelace' },
            target: { kind: 'prospect', pool_id: pools[0].id, stage_id: pools[0].stages?.[0]?.id },
            target_label: pools[0].name,
          },
        }));
        assert.equal(queued.type, 'queued', JSON.stringify(queued));
        const stateOf = async () => answerOf(await send({ type: 'list_outbox' })).items.find((i) => i.id === queued.item.id)?.state;
        let state;
        for (let i = 0; i < 300; i++) {
          state = await stateOf();
          if (state && !['queued', 'sending'].includes(state.state)) break;
          await sleep(100);
        }
        t.diagnostic(`[${browserName}] after a 307 to ${catcher.url}: the item is ${JSON.stringify(state)}; that server heard ${catcher.heard.length} request(s)`);
        const redirected = (await sandbox.admin('state')).requests.filter((r) => r.method === 'POST' && r.path === path);
        assert.ok(redirected.length >= 1, 'the sandbox answered the create with its redirect');
        assert.deepEqual(catcher.heard, [], 'nothing followed the redirect');
        assert.ok(state && state.state !== 'delivered', `the capture is kept, not taken for delivered: ${JSON.stringify(state)}`);
        const stored = (await sandbox.admin('state')).candidates.filter((c) => c.candidate.external_id === externalId);
        assert.equal(stored.length, 0, 'the sandbox processed nothing');
      }));
  });
}
