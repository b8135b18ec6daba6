// The benchmark's own pages, written here in the shape of real ones (never copied): a small
// personal home page and a GitHub-like profile; the LinkedIn-shaped pages come from the Rust
// generator the criterion benches use, so both benchmarks read the very same page.
import { execFileSync } from 'node:child_process';
import { ROOT } from '../harness.mjs';

/** A deterministic stream of numbers, so every run and machine measures the same bytes. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** About 2 KB: a personal site with an h-card, rel=me links, a mailto and a tel link. */
export function personalPage() {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ines Okafor — engineer and occasional writer</title>
<meta name="description" content="Ines Okafor builds data tools at Fieldnote Labs in Lisbon.">
<link rel="me" href="https://mastodon.example/@ines">
<link rel="stylesheet" href="/style.css">
</head>
<body>
<header><nav><a href="/">Home</a> · <a href="/writing/">Writing</a> · <a href="/talks/">Talks</a></nav></header>
<main>
<section class="h-card">
  <img class="u-photo" src="/ines.jpg" alt="Ines Okafor, smiling, in front of a tram">
  <h1 class="p-name"><span class="p-given-name">Ines</span> <span class="p-family-name">Okafor</span></h1>
  <p><span class="p-job-title">Staff Engineer</span> at <a class="p-org h-card" href="https://fieldnote.example">Fieldnote Labs</a>,
  <span class="p-locality">Lisbon</span>, <span class="p-country-name">Portugal</span>.</p>
  <p class="p-note">I build tools that help small newsrooms check their data. Before that, five years of
  distributed databases. I like trams, tiles and well-tested code.</p>
  <ul>
    <li><a class="u-email" href="mailto:ines@okafor.example">ines@okafor.example</a></li>
    <li><a class="p-tel" href="tel:+351210000123">+351 21 000 0123</a></li>
    <li><a class="u-url u-uid" rel="me" href="https://okafor.example/">okafor.example</a></li>
    <li><a rel="me" href="https://github.com/inesokafor">GitHub</a></li>
    <li><a rel="me" href="https://mastodon.example/@ines">Mastodon</a></li>
  </ul>
</section>
<section>
  <h2>Recent writing</h2>
  <ul>
    <li><a href="/writing/checking-numbers/">Checking numbers before they check you</a></li>
    <li><a href="/writing/tiles/">What azulejos taught me about grids</a></li>
  </ul>
</section>
</main>
<footer><p>© 2026 Ines Okafor · <a href="/feed.xml">feed</a></p></footer>
</body>
</html>
`;
}

const WORDS = ('data pipeline parser cli sync graph cache tiny fast safe index query stream schema test ' +
  'bench docs web async rust go kit lab tool map grid log trace').split(' ');

/** About `target` bytes (200 KB by default): a GitHub-like user profile with its usual furniture. */
export function githubPage(target = 200 * 1024) {
  const rnd = prng(7);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const repo = () => `${pick(WORDS)}-${pick(WORDS)}`;
  const head = `<!DOCTYPE html>
<html lang="en" data-color-mode="auto" data-light-theme="light" data-dark-theme="dark">
<head>
<meta charset="utf-8">
<link rel="dns-prefetch" href="https://assets.example"><link rel="preconnect" href="https://avatars.example" crossorigin>
<link crossorigin="anonymous" media="all" rel="stylesheet" href="https://assets.example/assets/light-0a1b2c.css">
<link crossorigin="anonymous" media="all" rel="stylesheet" href="https://assets.example/assets/primer-3d4e5f.css">
<script crossorigin="anonymous" defer type="application/javascript" src="https://assets.example/assets/runtime-6a7b8c.js"></script>
<title>tomasz-wiercinski (Tomasz Wierciński) · Code Host</title>
<meta name="description" content="Platform engineer at Brightwell. tomasz-wiercinski has 64 repositories available. Follow their code on Code Host.">
<meta name="twitter:image" content="https://avatars.example/u/4242?v=4"><meta name="twitter:site" content="@codehost">
<meta name="twitter:card" content="summary"><meta name="twitter:title" content="tomasz-wiercinski - Overview">
<meta name="twitter:description" content="Platform engineer at Brightwell.">
<meta property="og:image" content="https://avatars.example/u/4242?v=4"><meta property="og:site_name" content="Code Host">
<meta property="og:type" content="profile"><meta property="og:title" content="tomasz-wiercinski - Overview">
<meta property="og:url" content="https://codehost.example/tomasz-wiercinski"><meta property="og:description" content="Platform engineer at Brightwell.">
<meta property="profile:username" content="tomasz-wiercinski">
<link rel="canonical" href="https://codehost.example/tomasz-wiercinski">
</head>
<body class="logged-out env-production page-profile">
<div class="position-relative js-header-wrapper"><a href="#start-of-content" class="px-2 py-4 show-on-focus js-skip-to-content">Skip to content</a>
<header class="HeaderMktg header-logged-out js-details-container Details" role="banner"><nav aria-label="Global">
${['Product', 'Solutions', 'Resources', 'Open Source', 'Enterprise', 'Pricing'].map((n) => `<button type="button" class="HeaderMenu-link border-0 width-full">${n}</button>`).join('')}
</nav><a href="/login" class="HeaderMenu-link">Sign in</a> <a href="/signup" class="HeaderMenu-link">Sign up</a></header></div>
<main id="js-pjax-container">
<div class="container-xl px-3 px-md-4 px-lg-5"><div class="Layout Layout--flowRow-until-md">
<div class="Layout-sidebar"><div class="h-card mt-md-n5" data-acv-badge-hovercards-enabled itemscope itemtype="http://schema.org/Person">
<a itemprop="image" href="https://avatars.example/u/4242?v=4" class="d-block"><img style="height:auto;" alt="View tomasz-wiercinski's full-sized avatar" src="https://avatars.example/u/4242?v=4" width="260" height="260" class="avatar avatar-user width-full border color-bg-default"></a>
<h1 class="vcard-names pl-2 pl-md-0">
<span class="p-name vcard-fullname d-block overflow-hidden" itemprop="name">Tomasz Wierciński</span>
<span class="p-nickname vcard-username d-block" itemprop="additionalName">tomasz-wiercinski</span>
</h1>
<div class="p-note user-profile-bio mb-3 js-user-profile-bio f4" data-bio-text="Platform engineer at Brightwell. Builds boring infrastructure on purpose."><div>Platform engineer at Brightwell. Builds boring infrastructure on purpose.</div></div>
<div class="flex-order-1 flex-md-order-none mt-2 mt-md-0"><div class="mb-3"><a class="Link--secondary no-underline no-wrap" href="https://codehost.example/tomasz-wiercinski?tab=followers"><span class="text-bold color-fg-default">1.2k</span> followers</a> · <a class="Link--secondary no-underline no-wrap" href="https://codehost.example/tomasz-wiercinski?tab=following"><span class="text-bold color-fg-default">87</span> following</a></div></div>
<ul class="vcard-details">
<li class="vcard-detail pt-1 hide-sm hide-md" itemprop="worksFor" aria-label="Organization: @brightwell"><span class="p-org"><div><a class="user-mention notranslate" href="/brightwell">@brightwell</a></div></span></li>
<li class="vcard-detail pt-1 hide-sm hide-md" itemprop="homeLocation" aria-label="Home location: Wrocław, Poland"><span class="p-label">Wrocław, Poland</span></li>
<li itemprop="email" aria-label="Email: tomasz@wiercinski.example" class="vcard-detail pt-1 hide-sm hide-md"><a class="u-email Link--primary" href="mailto:tomasz@wiercinski.example">tomasz@wiercinski.example</a></li>
<li itemprop="url" data-test-selector="profile-website-url" class="vcard-detail pt-1 hide-sm hide-md"><a rel="nofollow me" class="Link--primary" href="https://wiercinski.example">https://wiercinski.example</a></li>
<li itemprop="social" class="vcard-detail pt-1 hide-sm hide-md"><a rel="nofollow me" class="Link--primary" href="https://mastodon.example/@tomasz">@tomasz@mastodon.example</a></li>
<li itemprop="social" class="vcard-detail pt-1 hide-sm hide-md"><a rel="nofollow me" class="Link--primary" href="https://www.linkedin.com/in/tomasz-wiercinski">in/tomasz-wiercinski</a></li>
</ul></div></div>
<div class="Layout-main"><div class="position-relative">
<h2 class="h4 mb-2 text-normal">Pinned</h2><ol class="d-flex flex-wrap list-style-none gutter-condensed mb-2 js-pinned-items-reorder-list">
`;
  const parts = [head];
  for (let i = 0; i < 6; i++) {
    const name = repo();
    parts.push(`<li class="mb-3 d-flex flex-content-stretch col-12 col-md-6 col-lg-6"><div class="Box pinned-item-list-item d-flex p-3 width-full public source"><div class="pinned-item-list-item-content"><div class="d-flex width-full position-relative"><a href="/tomasz-wiercinski/${name}" class="Link mr-1 text-bold wb-break-word"><span class="repo">${name}</span></a><span class="Label Label--secondary v-align-middle mt-1 no-wrap v-align-baseline Label--inline">Public</span></div><p class="pinned-item-desc color-fg-muted text-small mt-2 mb-0">A ${pick(WORDS)} ${pick(WORDS)} for ${pick(WORDS)} ${pick(WORDS)}.</p><p class="mb-0 f6 color-fg-muted"><span class="d-inline-block mr-3"><span class="repo-language-color" style="background-color: #dea584"></span> <span itemprop="programmingLanguage">Rust</span></span><a href="/tomasz-wiercinski/${name}/stargazers" class="pinned-item-meta Link--muted">${Math.floor(rnd() * 900)}</a></p></div></div></li>\n`);
  }
  parts.push('</ol>\n<div class="js-yearly-contributions"><h2 class="f4 text-normal mb-2">1,734 contributions in the last year</h2><table class="ContributionCalendar-grid js-calendar-graph-table" role="grid" aria-readonly="true"><tbody>\n');
  const day = new Date(Date.UTC(2025, 10, 30));
  for (let row = 0; row < 7; row++) {
    parts.push(`<tr style="height: 10px"><td class="ContributionCalendar-label" style="position: relative"><span class="sr-only">${['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][row]}</span></td>`);
    for (let week = 0; week < 53; week++) {
      const d = new Date(day.getTime() + (week * 7 + row) * 86400000).toISOString().slice(0, 10);
      const n = Math.floor(rnd() * 12);
      parts.push(`<td tabindex="0" data-ix="${week}" aria-selected="false" aria-describedby="contribution-graph-legend-level-${n % 5}" style="width: 10px" data-date="${d}" id="contribution-day-component-${row}-${week}" data-level="${n % 5}" role="gridcell" data-view-component="true" class="ContributionCalendar-day"></td><tool-tip id="tooltip-${row}-${week}" for="contribution-day-component-${row}-${week}" popover="manual" data-direction="n" data-type="label" data-view-component="true" class="sr-only position-absolute">${n || 'No'} contributions on ${d}.</tool-tip>`);
    }
    parts.push('</tr>\n');
  }
  parts.push('</tbody></table></div>\n<div class="contribution-activity-listing float-left col-12 col-lg-10">\n');
  const tail = `</div></div></div></div></div></main>
<footer class="footer pt-8 pb-6 f6 color-fg-muted p-responsive" role="contentinfo"><ul class="list-style-none d-flex flex-justify-center flex-wrap mb-2 mb-lg-0">
${['Terms', 'Privacy', 'Security', 'Status', 'Docs', 'Contact'].map((n) => `<li class="mx-2"><a class="Link--secondary" href="/site/${n.toLowerCase()}">${n}</a></li>`).join('')}
</ul></footer>
<script type="application/json" id="client-env">{"locale":"en","featureFlags":["contributions_graph","pinned_items"]}</script>
</body></html>
`;
  let size = parts.reduce((n, p) => n + p.length, 0) + tail.length;
  let month = 0;
  while (size < target) {
    const name = repo();
    const commits = 1 + Math.floor(rnd() * 40);
    const block = `<div class="TimelineItem"><span class="TimelineItem-badge"><svg aria-hidden="true" height="16" viewBox="0 0 16 16" width="16" class="octicon octicon-repo-push"><path d="M1 2.5A2.5 2.5 0 0 1 3.5 0h8.75a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0V1.5h-8a1 1 0 0 0-1 1v6.708A2.493 2.493 0 0 1 3.5 9h3.25a.75.75 0 0 1 0 1.5H3.5a1 1 0 0 0 0 2h5.75a.75.75 0 0 1 0 1.5H3.5A2.5 2.5 0 0 1 1 11.5Z"></path></svg></span><div class="TimelineItem-body"><details class="Details-element details-reset"><summary role="button" data-view-component="true"><span class="color-fg-default ws-normal text-left">Created ${commits} commits in <a href="/tomasz-wiercinski/${name}">tomasz-wiercinski/${name}</a></span></summary><ul class="list-style-none mt-1"><li class="ml-0 py-1 d-flex"><a class="mr-2 Link--primary css-truncate css-truncate-target" href="/tomasz-wiercinski/${name}/commits?author=tomasz-wiercinski&amp;since=2026-${String(1 + (month % 12)).padStart(2, '0')}-01">${escape(`${pick(WORDS)} ${pick(WORDS)}: ${pick(WORDS)} the ${pick(WORDS)} <${pick(WORDS)}>`)}</a><span class="progress-bar"><span class="Progress"><span style="width: ${Math.floor(rnd() * 100)}%;" class="Progress-item color-bg-success-emphasis"></span></span></span></li></ul></details></div></div>\n`;
    parts.push(block);
    size += block.length;
    month++;
  }
  parts.push(tail);
  return parts.join('');
}

/** Where the LinkedIn-shaped page's subject lives (tests/extract_support/linkedin_page.rs, `URL`). */
export const LINKEDIN_URL = 'https://www.linkedin.com/in/zanele-mokoena/';

/** A LinkedIn-shaped page of about `bytes` bytes, from the generator `cargo bench` reads too. */
export function linkedinPage(bytes) {
  return execFileSync('cargo', ['run', '--quiet', '--example', 'linkedin-page', '--', String(bytes)], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}
