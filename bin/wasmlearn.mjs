#!/usr/bin/env node
// The wasmlearn command: runs the built CLI (dist/cli.js). Run `npm run build` first in a checkout.
import { run } from '../dist/cli.js';

await run();
