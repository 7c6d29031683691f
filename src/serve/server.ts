/**
 * A ready-to-run scoring server on `node:http` with production manners: body and
 * header limits, request timeouts, and graceful shutdown.
 * @packageDocumentation
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createScoringHandler, type ScoringHandler, type ScoringHandlerOptions } from './handler.js';

/** Options of {@link startServer}: the handler's, plus where and how to listen. */
export interface StartServerOptions extends ScoringHandlerOptions {
  /** Interface to bind (default `127.0.0.1`: local only; use `0.0.0.0` in a container). */
  host?: string;
  /** Port (default 5000, MLflow's; 0 picks a free one). */
  port?: number;
  /** Longest time to receive a whole request, ms (default 60 000); a slower client gets 408. */
  requestTimeoutMs?: number;
  /** Longest time to receive the request headers, ms (default 10 000). */
  headersTimeoutMs?: number;
  /** Idle keep-alive time, ms (default 65 000: longer than common load-balancer idle timeouts). */
  keepAliveTimeoutMs?: number;
  /** Largest request header block, bytes (default 16 384); larger → 431. */
  maxHeaderSize?: number;
  /** On `close()`, how long in-flight requests may take before their connections are cut, ms (default 10 000). */
  shutdownTimeoutMs?: number;
  /** Close gracefully on SIGTERM and SIGINT (default `false`; the CLI turns it on). */
  handleSignals?: boolean;
}

/** A listening server. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:5000`. */
  readonly url: string;
  /** The bound port (useful with `port: 0`). */
  readonly port: number;
  /** The underlying `node:http` server. */
  readonly server: Server;
  /** The request handler (with its metrics). */
  readonly handler: ScoringHandler;
  /**
   * Graceful shutdown: stops accepting connections, lets in-flight requests finish
   * (replies then carry `Connection: close`), closes idle keep-alive connections, and
   * resolves once every connection is gone (or `shutdownTimeoutMs` passed and the rest were cut).
   */
  close(): Promise<void>;
}

/**
 * Starts the MLflow-compatible scoring server.
 *
 * @param options - handler options (model, predictFn, limits, log, monitor) and listen options
 * @returns the running server once it listens
 * @throws Error - the port is taken or the host cannot be bound (`EADDRINUSE`, `EADDRNOTAVAIL`)
 * @example
 * const srv = await startServer({ model, port: 0 });
 * await fetch(`${srv.url}/ping`); // => 200
 * await srv.close();
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const handler = createScoringHandler(options);
  const requestTimeout = options.requestTimeoutMs ?? 60_000;
  const server = createServer({
    maxHeaderSize: options.maxHeaderSize ?? 16384,
    requestTimeout,
    // How often Node checks those timeouts (its default, 30 s, would let short timeouts run long).
    connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(requestTimeout / 4))),
    headersTimeout: options.headersTimeoutMs ?? 10_000,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 65_000,
  }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 5000, host, () => { server.off('error', reject); resolve(); });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    if (closing) return closing;
    handler.draining = true;
    closing = new Promise<void>((resolve) => {
      const timer = setTimeout(() => server.closeAllConnections(), options.shutdownTimeoutMs ?? 10_000);
      timer.unref();
      server.close(() => { clearTimeout(timer); resolve(); });
      server.closeIdleConnections();
    });
    if (onSignal) {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    }
    return closing;
  };
  let onSignal: (() => void) | null = null;
  if (options.handleSignals) {
    onSignal = () => { void close(); };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { url, port, server, handler, close };
}
