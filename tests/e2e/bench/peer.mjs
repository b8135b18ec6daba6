// The peer the benchmark compares Sprout's in-page read with: a plain JS extractor of the kind
// other recruiting extensions inject, written fairly (every layer Sprout reads, none skipped) and
// injected the same way (chrome.scripting.executeScript, here with `func`).

/** Runs in the page (serialized by the browser): self-contained, returns a small person object. */
export function peerExtract() {
  const person = { names: [], titles: [], orgs: [], locations: [], emails: [], phones: [], links: [], notes: [] };
  const clean = (s) => (typeof s === 'string' ? s.replace(/\s+/g, ' ').trim() : '');
  const add = (list, value) => {
    const v = clean(value);
    if (v && !list.includes(v)) list.push(v);
  };
  const text = (el) => (el ? el.textContent : '');
  const many = (x) => (x == null ? [] : Array.isArray(x) ? x : [x]);
  const nameOf = (x) => (typeof x === 'string' ? x : x && typeof x === 'object' ? x.name : '');

  // JSON-LD, following @graph and mainEntity (ProfilePage) to the Person.
  const isPerson = (node) => many(node['@type']).some((t) => /(^|[/:])Person$/.test(String(t)));
  const visit = (node, depth) => {
    if (!node || typeof node !== 'object' || depth > 10) return;
    if (Array.isArray(node)) return node.forEach((n) => visit(n, depth + 1));
    visit(node['@graph'], depth + 1);
    visit(node.mainEntity, depth + 1);
    if (!isPerson(node)) return;
    add(person.names, node.name || [node.givenName, node.familyName].filter(Boolean).join(' '));
    many(node.jobTitle).forEach((t) => add(person.titles, nameOf(t)));
    many(node.worksFor).forEach((o) => add(person.orgs, nameOf(o)));
    many(node.address).forEach((a) => add(person.locations, typeof a === 'string' ? a : [a?.addressLocality, a?.addressCountry].filter(Boolean).join(', ')));
    many(node.email).forEach((e) => add(person.emails, String(e).replace(/^mailto:/i, '')));
    many(node.telephone).forEach((t) => add(person.phones, String(t)));
    [...many(node.url), ...many(node.sameAs)].forEach((u) => add(person.links, String(u)));
    add(person.notes, node.description);
  };
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent), 0);
    } catch {
      // A broken block on a real page is skipped, as every extractor does.
    }
  }

  // Microdata: properties of each schema.org Person, not of the items nested in it.
  const itemValue = (el) =>
    el.hasAttribute('itemscope') ? text(el.querySelector('[itemprop~=name]') ?? el)
      : el.getAttribute('content') ?? el.getAttribute('href') ?? el.getAttribute('src') ?? text(el);
  for (const scope of document.querySelectorAll('[itemscope][itemtype*="schema.org/Person"]')) {
    for (const el of scope.querySelectorAll('[itemprop]')) {
      if (el.parentElement.closest('[itemscope]') !== scope) continue;
      const value = itemValue(el);
      for (const prop of el.getAttribute('itemprop').split(/\s+/)) {
        if (prop === 'name') add(person.names, value);
        else if (prop === 'jobTitle') add(person.titles, value);
        else if (prop === 'worksFor') add(person.orgs, value);
        else if (prop === 'homeLocation' || prop === 'address') add(person.locations, value);
        else if (prop === 'email') add(person.emails, value.replace(/^mailto:/i, ''));
        else if (prop === 'telephone') add(person.phones, value.replace(/^tel:/i, ''));
        else if (prop === 'url' || prop === 'sameAs' || prop === 'social') add(person.links, el.querySelector('a')?.href ?? value);
      }
    }
  }

  // h-card (microformats2): the first top-level card, then rel=me links anywhere.
  const card = [...document.querySelectorAll('.h-card')].find((c) => !c.parentElement.closest('.h-card'));
  if (card) {
    const p = (cls) => [...card.querySelectorAll(`.${cls}`)].filter((e) => e.closest('.h-card') === card || e.classList.contains('h-card'));
    const name = p('p-name')[0];
    add(person.names, name ? text(name) : [text(p('p-given-name')[0]), text(p('p-family-name')[0])].join(' '));
    p('p-job-title').forEach((e) => add(person.titles, text(e)));
    p('p-org').forEach((e) => add(person.orgs, text(e)));
    p('p-locality').forEach((e) => add(person.locations, text(e)));
    p('u-email').forEach((e) => add(person.emails, (e.getAttribute('href') ?? text(e)).replace(/^mailto:/i, '')));
    p('p-tel').forEach((e) => add(person.phones, (e.getAttribute('href') ?? text(e)).replace(/^tel:/i, '')));
    p('u-url').forEach((e) => add(person.links, e.href ?? text(e)));
    p('p-note').forEach((e) => add(person.notes, text(e)));
  }
  for (const a of document.querySelectorAll('a[rel~=me][href], link[rel~=me][href]')) add(person.links, a.href);

  // Open Graph, profile and Twitter meta, and the title.
  const meta = {};
  for (const m of document.querySelectorAll('meta[property], meta[name]')) {
    meta[m.getAttribute('property') ?? m.getAttribute('name')] ??= m.getAttribute('content') ?? '';
  }
  add(person.names, [meta['profile:first_name'], meta['profile:last_name']].filter(Boolean).join(' '));
  add(person.names, meta['og:title'] ?? meta['twitter:title'] ?? document.title);
  add(person.notes, meta['og:description'] ?? meta['twitter:description'] ?? meta.description);
  add(person.links, meta['og:url'] ?? document.querySelector('link[rel=canonical]')?.href);
  if (meta['twitter:creator']) add(person.links, `https://x.com/${meta['twitter:creator'].replace(/^@/, '')}`);

  // mailto: and tel: links anywhere in the page.
  for (const a of document.querySelectorAll('a[href^="mailto:" i], a[href^="tel:" i]')) {
    const href = a.getAttribute('href');
    if (/^mailto:/i.test(href)) add(person.emails, decodeURIComponent(href.slice(7).split('?')[0]));
    else add(person.phones, decodeURIComponent(href.slice(4)));
  }

  // LinkedIn's profile page, signed in and public, by its usual selectors.
  const first = (selectors) => document.querySelector(selectors);
  add(person.names, text(first('.pv-top-card h1, h1.text-heading-xlarge, .top-card-layout__title')));
  add(person.titles, text(first('.pv-top-card .text-body-medium.break-words, .top-card-layout__headline')));
  add(person.locations, text(first('.pv-top-card .text-body-small.inline.t-black--light.break-words, .top-card__subline-item')));
  add(person.orgs, text(first('.pv-text-details__right-panel-item-text, .top-card-link__description, [aria-label^="Current company"]')));
  for (const a of document.querySelectorAll('.pv-contact-info__contact-type a[href], .ci-websites a[href], .ci-email a[href]')) {
    if (/^mailto:/i.test(a.getAttribute('href'))) add(person.emails, a.getAttribute('href').slice(7));
    else add(person.links, a.href);
  }
  document.querySelectorAll('#experience ~ .pvs-list__outer-container li .t-bold span[aria-hidden=true]')
    .forEach((e, i) => i < 3 && add(person.titles, text(e)));

  person.url = location.href;
  return person;
}
