import { defineConfig } from 'vite';

/**
 * The dashboard is served by the API server under `/admin` (packages/server modules/dashboard).
 * JSX is compiled by Vite's own esbuild (automatic runtime), so no React plugin is needed; the
 * trade-off is a full reload instead of Fast Refresh in `npm run dev`.
 */
export default defineConfig({
  base: '/admin/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      // Mantine marks its modules "use client" (for React Server Components); meaningless in an SPA.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
      output: {
        // Vendor code changes less often than screens: a separate chunk keeps the long cache useful.
        manualChunks: { react: ['react', 'react-dom', 'react-router', '@tanstack/react-query'] },
      },
    },
  },
  server: {
    // `npm run dev`: the API runs on its own port; Vite proxies API and media calls to it.
    proxy: {
      '/v1': 'http://localhost:8000',
      '/media': 'http://localhost:8000',
    },
  },
});
