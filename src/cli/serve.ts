/**
 * `wasmlearn serve`: the MLflow-compatible scoring server, in one process or in N
 * worker processes (node:cluster) sharing the port, with dead workers replaced.
 * @packageDocumentation
 */
import cluster, { type Worker } from 'node:cluster';
import { startServer } from '../serve/server.js';
import { DEFAULT_MAX_BODY_BYTES } from '../serve/handler.js';
import type { ScoringMonitor } from '../serve/types.js';
import { DriftMonitor, Profile } from '../monitoring/index.js';
import { intOption, predictFnOption, required, type CliIO, type Command } from './args.js';
import { EXIT, UsageError } from './errors.js';
import { FUNCTIONS_HELP, resolveModel } from './model-source.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve a model over HTTP with the MLflow scoring protocol',
  usage: `Usage: wasmlearn serve --model <model> [--host 127.0.0.1] [--port 5000] [--workers N] [options]

Serves POST /invocations (MLflow's scoring protocol: dataframe_split, dataframe_records,
instances, inputs, text/csv), GET /ping, /health, /version and /metrics (Prometheus).
Writes one JSON access-log line per request to stdout. SIGTERM or SIGINT shuts down
gracefully: new connections are refused, requests in flight finish.

Options:
  --model <model>          .json document, .pkl pickle, MLflow model directory,
                           runs:/<run_id>/<path> or models:/<name>/<version>
  --tracking-dir <dir>     local MLflow store for runs:/ and models:/ URIs
${FUNCTIONS_HELP}
  --host <addr>            interface to bind (default 127.0.0.1; 0.0.0.0 in a container)
  --port <n>               port (default 5000; 0 picks a free one)
  --workers <n>            worker processes sharing the port (default 1: no cluster)
  --predict-fn <fn>        predict (labels, default) or predict_proba (probabilities);
                           default: the MLmodel's predict_fn
  --max-body-bytes <n>     request body limit (default ${DEFAULT_MAX_BODY_BYTES}); larger → 413
  --request-timeout <ms>   time to receive a whole request (default 60000); slower → 408
  --shutdown-timeout <ms>  grace period for requests in flight on shutdown (default 10000)
  --cors <origin|*>        send CORS headers for this origin (default: none)
  --monitor-window <rows>  when the model carries a training profile, rows per drift
                           window published on /metrics (default 1000)
  --no-access-log          do not write the access log
  --debug                  include stack traces in error replies
  -h, --help               this help

Exit codes: 0 stopped by a signal, 2 usage error, 3 model error or port unavailable.`,
  options: {
    model: { type: 'string' }, 'tracking-dir': { type: 'string' }, functions: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' },
    workers: { type: 'string' }, 'predict-fn': { type: 'string' }, 'max-body-bytes': { type: 'string' },
    'request-timeout': { type: 'string' }, 'shutdown-timeout': { type: 'string' }, cors: { type: 'string' },
    'no-access-log': { type: 'boolean' }, debug: { type: 'boolean' }, 'monitor-window': { type: 'string' },
  },
  async run(values, io) {
    const spec = required(values, 'model');
    const host = (values.host as string | undefined) ?? '127.0.0.1';
    const port = intOption(values, 'port', 5000, 0);
    if (port > 65535) throw new UsageError(`--port must be at most 65535; got ${port}.`);
    const workers = intOption(values, 'workers', 1, 1);
    const fnOption = predictFnOption(values);
    const maxBodyBytes = intOption(values, 'max-body-bytes', DEFAULT_MAX_BODY_BYTES, 1);
    const requestTimeoutMs = intOption(values, 'request-timeout', 60_000, 1);
    const shutdownTimeoutMs = intOption(values, 'shutdown-timeout', 10_000, 0);
    const cors = values.cors === undefined ? undefined : values.cors === '*' ? true : String(values.cors);

    // Load before forking, so a bad model fails once, with exit code 3.
    const resolved = await resolveModel(spec, { trackingDir: values['tracking-dir'] as string | undefined, functions: values.functions as string | undefined });
    if (workers > 1 && cluster.isPrimary) return runPrimary(workers, io, shutdownTimeoutMs);

    const monitor = driftMonitorFor(resolved.document, values['monitor-window'] as string | undefined, io);
    const srv = await startServer({
      model: resolved.model, monitor, predictFn: fnOption ?? resolved.predictFn ?? 'predict',
      host, port, maxBodyBytes, requestTimeoutMs, shutdownTimeoutMs, cors, debug: values.debug === true,
      log: values['no-access-log'] ? undefined : process.stdout,
    });
    const who = cluster.isWorker ? `worker ${process.pid}` : `pid ${process.pid}`;
    io.stderr.write(`wasmlearn ${resolved.source} serving on ${srv.url} (${who})\n`);
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        io.stderr.write(`${signal}: shutting down (${who}), letting requests in flight finish\n`);
        void srv.close().then(resolve);
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      if (cluster.isWorker) process.once('disconnect', () => stop('disconnect'));
    });
    return EXIT.OK;
  },
};

/** A drift monitor over the model's training profile, when its document has one. */
function driftMonitorFor(document: unknown, windowRows: string | undefined, io: CliIO): ScoringMonitor | undefined {
  const profile = (document as { profile?: unknown } | null)?.profile;
  if (profile === null || profile === undefined) return undefined;
  const rows = intOption({ 'monitor-window': windowRows }, 'monitor-window', 1000, 1);
  try {
    return new DriftMonitor({ reference: Profile.fromJSON(profile), window: { rows } });
  } catch (e) {
    io.stderr.write(`drift monitoring off: the model's training profile cannot be read (${(e as Error).message})\n`);
    return undefined;
  }
}

/** The cluster primary: forks workers, replaces dead ones, stops them all on SIGTERM/SIGINT. */
async function runPrimary(n: number, io: CliIO, shutdownTimeoutMs: number): Promise<number> {
  let stopping = false;
  const recentDeaths: number[] = [];
  const fork = () => cluster.fork();
  for (let i = 0; i < n; i++) fork();
  io.stderr.write(`wasmlearn primary ${process.pid}: ${n} workers\n`);
  return new Promise<number>((resolve) => {
    cluster.on('exit', (worker: Worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) resolve(EXIT.OK);
        return;
      }
      const now = Date.now();
      recentDeaths.push(now);
      while (recentDeaths.length && now - recentDeaths[0] > 60_000) recentDeaths.shift();
      io.stderr.write(`worker ${worker.process.pid} died (${signal ?? `exit code ${code}`}); starting a new one\n`);
      if (recentDeaths.length > 5 * n) {
        io.stderr.write(`workers keep dying (${recentDeaths.length} in a minute); giving up\n`);
        stopping = true;
        for (const w of Object.values(cluster.workers ?? {})) w?.kill('SIGTERM');
        resolve(EXIT.INPUT);
        return;
      }
      fork();
    });
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      io.stderr.write(`${signal}: stopping ${n} workers gracefully\n`);
      const live = Object.values(cluster.workers ?? {});
      if (live.length === 0) resolve(EXIT.OK);
      for (const w of live) w?.process.kill('SIGTERM');
      setTimeout(() => { for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL'); }, shutdownTimeoutMs + 2000).unref();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
