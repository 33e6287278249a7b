import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'

// Built into dist/ and served by the API under /console/ (one origin with the API).
// `npm run dev` proxies the API to API_URL (default http://127.0.0.1:8080).
export default defineConfig({
  base: '/console/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts'
          if (id.includes('node_modules/element-plus')) return 'element-plus'
          return undefined
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.API_URL || 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'happy-dom',
    include: ['tests/unit/**/*.test.js'],
  },
})
