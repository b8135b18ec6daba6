// Builds content.js, the injected reader, from extension/content/inject.js with the wasm-bindgen
// glue (--target no-modules) and the optimised wasm embedded as base64: the reader fetches nothing,
// so no extension file needs to be web-accessible.
// Usage: node extension/content/embed.mjs GLUE.js WASM OUT.js
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [gluePath, wasmPath, out] = process.argv.slice(2);
const template = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'inject.js'), 'utf8');
const glue = readFileSync(gluePath, 'utf8');
const wasm = readFileSync(wasmPath).toString('base64');
const parts = template.split('/* GLUE */');
if (parts.length !== 2 || !glue.startsWith('let wasm_bindgen = ') || !template.includes('/* WASM_BASE64 */')) {
  console.error('embed.mjs: the template or the glue is not the shape this script fills in');
  process.exit(1);
}
// Functions, not strings, as replacements: the glue holds `$` sequences replace() would expand.
const filled = parts[0] + glue.trimEnd() + '\n' + parts[1].replace('/* WASM_BASE64 */', () => wasm);
writeFileSync(out, filled);
