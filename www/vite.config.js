import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Starts fetching the WebAssembly module with the page, before the script asks for it. */
function preloadWasm() {
  return {
    name: 'claimcheck-preload-wasm',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const wasm = Object.keys(ctx.bundle ?? {}).find((f) => f.endsWith('.wasm'));
        if (!wasm) return [];
        const attrs = { rel: 'preload', href: `./${wasm}`, as: 'fetch', type: 'application/wasm', crossorigin: '' };
        return [{ tag: 'link', attrs, injectTo: 'head-prepend' }];
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
