// Sign-in through sprout-relay, end to end: the built extension in real Chromium and Firefox ESR, a
// real sprout-sandbox on 127.0.0.1 that requires a client secret, and a real sprout-relay in front
// of it holding that secret. Also: a connection whose authorize page bounces the sign-in to another
// connection's server is refused, and the code never reaches its token URL.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import {
  ROOT, launch, withArtifacts, startSandbox, startRelay, optionsTab, fill, registerCallback, indexedDbStore,
} from './harness.mjs';

const RECRUITER = 'recruiter@sprout.test';
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

execFileSync('cargo', ['build', '--quiet', '-p', 'sprout-sandbox', '-p', 'sprout-relay'], { cwd: ROOT, stdio: 'inherit' });

/**
 * A hostile server: its authorize page sends the browser on to `victim`'s authorize page with the
 * same request (state included), but the redirect_uri of another connection (`callback`); as a
 * "relay" its /start goes on to its own authorize page; every POST (token endpoint or relay
 * /token) is recorded.
 */
async function bouncer(victim, callback) {
  const tokenRequests = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/start') {
      res.writeHead(302, { location: url.searchParams.get('to') }).end();
    } else if (url.pathname === '/oauth/authorize') {
      const to = new URL(`${victim.origin}/oauth/authorize`);
      for (const [k, v] of url.searchParams) to.searchParams.set(k, k === 'redirect_uri' ? callback() : v);
      res.writeHead(302, { location: to.href }).end();
    } else if (req.method === 'POST') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        tokenRequests.push(`${url.pathname} ${body}`);
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
      });
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    tokenRequests,
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(ok); }),
  };
}

for (const [browserName, dist] of [['chromium', 'dist/dev/chrome'], ['firefox', 'dist/dev/firefox']]) {
  describe(`relay sign-in in ${browserName}`, { timeout: 240_000 }, () => {
    const secret = `relay-s3cret-${process.pid}`;
    let session;
    let sandbox;
    let relay;
    let page;
    let redirect;

    before(async () => {
      session = await launch(browserName, join(ROOT, dist));
      page = await optionsTab(session);
      redirect = await page.evaluate(() => chrome.identity.getRedirectURL());
      sandbox = await startSandbox(['--client-secret', secret]);
      relay = await startRelay({
      tokenUrl: `${sandbox.origin}/oauth/token`, authorizeUrl: `${sandbox.origin}/oauth/authorize`, secret, allow: [redirect],
    });
      // The relay's callback is the one URL registered with "Greenhouse".
      await sandbox.admin('redirect_uris', { uri: `${relay.origin}/callback` });
    });
    after(async () => {
      relay?.stop();
      sandbox?.stop();
      await session?.close();
    });

    const idle = () => page.waitForFunction(() => !document.querySelector('[data-testid=add]').disabled, { timeout: 30000 });
    const notice = () => page.$eval('[data-testid=notice]', (e) => e.textContent);
    const row = (caption) => page.$$eval('[data-testid=connection]', (rows, c) => {
      const r = rows.find((x) => x.querySelector('[data-testid=caption]').textContent === c);
      return r && { id: r.dataset.id, state: r.querySelector('[data-testid=state]').textContent, callback: r.querySelector('[data-testid=callback-url]')?.textContent };
    }, caption);

    async function add(caption, { authorize, token = `${sandbox.origin}/oauth/token`, relayUrl = '' }) {
      await page.waitForSelector('[data-testid=no-connections], [data-testid=connection]', { timeout: 15000 });
      await page.click('[data-testid=add]');
      await page.waitForSelector('#client-id');
      await fill(page, '#caption', caption);
      await fill(page, '#api-base-url', sandbox.api);
      await fill(page, '#dialect', sandbox.dialect);
      await fill(page, '#client-id', 'sprout-extension');
      await fill(page, '#authorize-url', authorize);
      await fill(page, '#relay', relayUrl);
      if (!relayUrl) await fill(page, '#token-url', token);
      await page.click('[data-testid=save]');
      await idle();
      assert.equal(await notice(), 'Connection saved.');
      return row(caption);
    }

    /** Clicks Sign in and waits for the sandbox's consent page in the window the browser opened. */
    async function openConsent(caption) {
      await page.click(`[data-id="${(await row(caption)).id}"] [data-testid=sign-in]`);
      for (let i = 0; i < 80; i++) {
        for (const p of await session.browser.pages()) {
          const href = await p.evaluate(() => location.href).catch(() => '');
          if (href.startsWith(`${sandbox.origin}/oauth/authorize`)) {
            await p.waitForSelector('#allow');
            return p;
          }
        }
        await sleep(250);
      }
      throw new Error('the consent page did not open');
    }

    it('signs in through the relay; the client secret stays in the relay', (t) =>
      withArtifacts(session, t.name, async () => {
        const relayed = await add('Relayed', { authorize: `${sandbox.origin}/oauth/authorize`, relayUrl: relay.origin });
        assert.equal(relayed.callback, `${relay.origin}/callback`, 'the callback to register is the relay\'s');
        const consent = await openConsent('Relayed');
        const authorize = new URL(await consent.evaluate(() => location.href));
        assert.equal(authorize.searchParams.get('redirect_uri'), `${relay.origin}/callback`);
        const [nonce, target] = authorize.searchParams.get('state').split('.');
        assert.ok(nonce.length >= 43, 'an unguessable nonce');
        const back = Buffer.from(target, 'base64url').toString();
        assert.ok(back.startsWith(`${redirect}c/`), `the state names this connection's own return URL: ${back}`);
        await consent.select('#user', RECRUITER);
        await consent.click('#allow');
        await idle();
        assert.equal(await notice(), 'Signed in.');
        const me = await sandbox.user(RECRUITER);
        assert.equal((await row('Relayed')).state, `Signed in as ${me.name} <${RECRUITER}>`);
        // The sandbox refuses a token request without the secret: the exchange went through the relay.
        const { requests } = await sandbox.admin('state');
        assert.ok(requests.some((r) => r.path === '/oauth/token' && r.status === 200), JSON.stringify(requests.slice(-5)));
        assert.ok(relay.log.some((l) => /path="?\/token"?\s.*status=200/.test(l)), `the relay forwarded the exchange: ${relay.log.join('\n')}`);
        // The secret is nowhere in the browser; the sign-in is kept without its access token.
        const session_ = JSON.stringify(await page.evaluate(() => chrome.storage.session.get(null)));
        const local = JSON.stringify(await page.evaluate(() => chrome.storage.local.get(null)));
        const kept = await indexedDbStore(page, 'kept');
        for (const stored of [session_, local, kept]) assert.ok(!stored.includes(secret), 'no client secret in the browser');
        assert.match(kept, /"refresh_token":"[^"]+"/);
        assert.doesNotMatch(kept, /access_token/);
        assert.doesNotMatch(local, /refresh_token|access_token/);
      }));

    it('refuses a sign-in that another connection\'s authorize page bounced to the first one\'s server', (t) =>
      withArtifacts(session, t.name, async () => {
        // The first connection: straight to the sandbox, on its own registered path.
        await add('Direct', { authorize: `${sandbox.origin}/oauth/authorize` });
        const direct = await registerCallback(page, sandbox, 'Direct');
        const hostile = await bouncer(sandbox, () => direct);
        try {
          const second = await add('Hostile', { authorize: `${hostile.origin}/oauth/authorize`, token: `${hostile.origin}/oauth/token` });
          assert.notEqual(second.callback, direct, 'the second connection comes back on another path');
          const consent = await openConsent('Hostile');
          assert.equal(new URL(await consent.evaluate(() => location.href)).searchParams.get('redirect_uri'), direct,
            'the hostile page sent the browser on with the first connection\'s redirect');
          await consent.select('#user', RECRUITER);
          await consent.click('#allow');
          if (browserName === 'firefox') {
            // Firefox's sign-in window waits for this connection's own path only, so the
            // first connection's redirect never ends it: the recruiter closes it.
            for (let closed = false; !closed;) {
              for (const p of await session.browser.pages()) {
                const href = await p.evaluate(() => location.href).catch(() => '');
                if (href.startsWith(direct) || href.startsWith('about:neterror') || href.startsWith(`${sandbox.origin}/oauth`)) {
                  await p.close();
                  closed = true;
                }
              }
              if (!closed) await sleep(250);
            }
          }
          await idle();
          const said = await notice();
          assert.match(said, browserName === 'firefox' ? /sign-in window closed|refused this sign-in/ : /refused this sign-in/, said);
          assert.doesNotMatch((await row('Hostile')).state, /^Signed in/);
          assert.deepEqual(hostile.tokenRequests, [], 'the code never reached the second connection\'s token URL');
        } finally {
          await hostile.close();
        }
      }));

    it('refuses a sign-in that another connection\'s authorize page bounced through this relay', (t) =>
      withArtifacts(session, t.name, async () => {
        // The hostile connection names its own "relay"; its authorize page sends the browser to
        // the sandbox with the real relay's callback and the hostile connection's own state, so
        // the real relay sends the code to the hostile connection's own path.
        const hostile = await bouncer(sandbox, () => `${relay.origin}/callback`);
        try {
          await add('Hostile relay', { authorize: `${hostile.origin}/oauth/authorize`, relayUrl: hostile.origin });
          const consent = await openConsent('Hostile relay');
          assert.equal(new URL(await consent.evaluate(() => location.href)).searchParams.get('redirect_uri'), `${relay.origin}/callback`);
          await consent.select('#user', RECRUITER);
          await consent.click('#allow');
          await idle();
          assert.match(await notice(), /refused this sign-in/);
          assert.doesNotMatch((await row('Hostile relay')).state, /^Signed in/);
          assert.deepEqual(hostile.tokenRequests, [], 'the code never reached the hostile connection\'s token URL');
        } finally {
          await hostile.close();
        }
      }));
  });
}
