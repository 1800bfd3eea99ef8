import { defineConfig } from 'vite';

// The dashboard is served by `broom server` at `/`; relative asset URLs keep it working behind a path prefix too.
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    sourcemap: false,
  },
  server: {
    // `pnpm --filter @broom/dashboard dev` against a local `broom server`.
    proxy: { '/api': 'http://127.0.0.1:8418' },
  },
});
