import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // Runs anywhere: Node, browsers, workers, bundlers (the wasm is embedded as base64).
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: false,
  },
  {
    // Node-only additions: server, MLflow/pickle loading, and the CLI.
    entry: { node: 'src/node.ts', cli: 'src/cli/main.ts' },
    format: ['esm', 'cjs'],
    dts: { entry: { node: 'src/node.ts' } },
    sourcemap: true,
    target: 'node18',
    platform: 'node',
    splitting: false,
  },
]);
