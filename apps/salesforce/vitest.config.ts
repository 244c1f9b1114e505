import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // CI runs every package's suite at once on two cores; generous limits keep load from failing tests.
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // expect.poll waits 1 s by default; a loaded CI machine renders a page slower than that.
    expect: { poll: { timeout: 20_000 } },
  },
});
