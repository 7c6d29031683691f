/**
 * Soak / load run of the scoring server: the heart pipeline served by startServer on
 * 127.0.0.1 (ephemeral port), autocannon for DURATION seconds at CONNECTIONS connections with
 * the mixed request set of test/reliability/load.ts (valid bodies of 1 to 10,000 rows, and
 * invalid requests), plus bodies over the limit on their own connections. Prints requests,
 * errors, p50/p99, RSS at start and end and the per-request-kind status counts; exits 1 if a
 * valid request got anything but 200 or an invalid one anything but its 4xx.
 *
 *   npm run soak                         # 60 s, 64 connections
 *   npm run soak -- 300 128              # 300 s, 128 connections
 */
import { startServer } from '../src/serve/index.js';
import { registerFunction, saveModel } from '../src/index.js';
import { heartData, heartPipeline, ratio } from '../test/helpers/heart.js';
import { postOversized, requestMix, rssMb, runLoad } from '../test/reliability/load.js';

const durationS = Number(process.argv[2] ?? 60);
const connections = Number(process.argv[3] ?? 64);
const MAX_BODY = 2 * 1024 * 1024;

registerFunction('ratio', ratio);
const { X, y } = heartData(1000, 42);
const model = heartPipeline().fit(X, y);
void saveModel(model);
const srv = await startServer({ model, predictFn: 'predict_proba', port: 0, host: '127.0.0.1', maxBodyBytes: MAX_BODY });
const rssStart = rssMb();
let rssPeak = rssStart;
const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, rssMb()); }, 1000);
let oversized: (number | string)[] = [];
let stopOversized = false;
const oversizedLoop = (async () => { while (!stopOversized) oversized = oversized.concat(await postOversized(srv.url, MAX_BODY, 4)); })();
const r = await runLoad(srv.url, requestMix(), { durationS, connections });
stopOversized = true;
await oversizedLoop;
clearInterval(sampler);
const rssEnd = rssMb();
await srv.close();
global.gc?.();
const wrong413 = oversized.filter((s) => s !== 413);
const summary = {
  node: process.version, durationS: r.durationS, connections, requests: r.requests, rowsScored: r.rowsScored,
  connectionErrors: r.errors, timeouts: r.timeouts, validFailures: r.validFailures, invalidMisanswered: r.invalidWrong,
  oversized: { sent: oversized.length, not413: wrong413.length },
  latencyMs: r.latencyMs, rssMb: { start: rssStart, peak: rssPeak, end: rssEnd },
  byKind: Object.fromEntries(Object.entries(r.byTemplate).map(([k, v]) => [k, v.status])),
};
console.log(JSON.stringify(summary, null, 2));
process.exit(r.validFailures || r.invalidWrong || r.errors || wrong413.length ? 1 : 0);
