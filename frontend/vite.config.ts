/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The backend serves dist/ at "/" and the API under "/api"; `npm run dev` proxies the API
// to a DNSMate started with `dnsmate serve` (DNSMATE_API, default http://127.0.0.1:8000).
export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { "/api": process.env.DNSMATE_API ?? "http://127.0.0.1:8000" },
  },
  build: { outDir: "dist", sourcemap: false },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./src/test/setup.ts"],
  },
});
