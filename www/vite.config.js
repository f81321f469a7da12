import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * Starts fetching the WebAssembly module with the page, before the script asks for it, and the
 * editor's chunk (main.js, which the small entry boot.js imports once the checker has started),
 * so it downloads while boot.js runs.
 */
function preloadWasm() {
  return {
    name: 'claimcheck-preload-wasm',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle ?? {};
        const tags = [];
        const wasm = Object.keys(bundle).find((f) => f.endsWith('.wasm'));
        if (wasm) {
          const attrs = { rel: 'preload', href: `./${wasm}`, as: 'fetch', type: 'application/wasm', crossorigin: '' };
          tags.push({ tag: 'link', attrs, injectTo: 'head-prepend' });
        }
        const editor = Object.values(bundle).find(
          (c) => c.type === 'chunk' && c.isDynamicEntry && c.moduleIds.some((id) => id.endsWith('/src/main.js')),
        );
        const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
        if (editor) {
          const skip = new Set([entry?.fileName, ...(entry?.imports ?? [])]);
          for (const file of [editor.fileName, ...editor.imports].filter((f) => !skip.has(f))) {
            tags.push({ tag: 'link', attrs: { rel: 'modulepreload', href: `./${file}`, crossorigin: '' }, injectTo: 'head' });
          }
        }
        return tags;
      },
    },
  };
}

export default defineConfig({
  plugins: [preloadWasm()],
  // Relative asset URLs: the built site works from any path (a subfolder, a file server).
  base: './',
  // The package loads its .wasm beside its module with `new URL(..., import.meta.url)`:
  // pre-bundling would move the module away from the file (pkg/README.md).
  optimizeDeps: { exclude: ['claimcheck'] },
  server: {
    host: '127.0.0.1',
    port: 5173,
    // The examples are read from the repository (examples/, tests/corpus/) and the package
    // is ../pkg: let the dev server read them.
    fs: { allow: [repoRoot] },
  },
  preview: { host: '127.0.0.1', port: 5173, strictPort: true },
  // The checker runs in a module worker (src/worker.js), which loads the package as an ES module.
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // The wasm module is fetched, never inlined.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
});
