import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { formatListenAddress, isLoopback, type ListenAddress } from '../net/listen-address.ts';
import { UnavailableError, UserError } from '../errors.ts';
import type { Handler } from './app.ts';

export interface HttpServerOptions {
  address: ListenAddress;
  handler: Handler;
  maxConnections: number;
  tls?: { cert_file: string; key_file: string } | undefined;
  /** Refuse to serve when the address bound is not loopback (a name such as "localhost" resolved elsewhere). */
  requireLoopback?: boolean;
}

export interface RunningServer {
  /** The bound address: with port 0, the port the kernel chose. */
  readonly address: ListenAddress;
  readonly url: string;
  close(deadlineMs?: number): Promise<void>;
}

// Node's defaults (60 s headers, 300 s request, checked every 30 s) let a slowloris client hold a socket for
// minutes; a scrape sends a few hundred bytes of headers at once.
const LIMITS = {
  headersTimeout: 10_000,
  requestTimeout: 15_000,
  keepAliveTimeout: 5_000,
  connectionsCheckingInterval: 1_000,
  maxHeaderSize: 8 * 1024,
} as const;

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UserError(`Cannot read TLS ${what} "${path}": ${(error as Error).message}`, {
      hint: 'check server.tls in the config',
      cause: error,
    });
  }
}

function createServer(options: HttpServerOptions): Server {
  if (!options.tls) return createHttpServer(LIMITS, options.handler);
  try {
    return createHttpsServer(
      {
        ...LIMITS,
        cert: readPem(options.tls.cert_file, 'certificate'),
        key: readPem(options.tls.key_file, 'key'),
        minVersion: 'TLSv1.2',
      },
      options.handler,
    );
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Cannot use the TLS certificate and key: ${(error as Error).message}`, {
      hint: 'server.tls.cert_file and key_file must be a matching PEM certificate and private key',
      cause: error,
    });
  }
}

/** Binds the agent's server; a busy or forbidden address is the user's to fix, so it becomes one clear line. */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const server = createServer(options);
  server.maxConnections = options.maxConnections;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that sends garbage, too many headers, or trickles them (slowloris) gets a status line and a closed socket.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const status =
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? '408 Request Timeout'
        : error.code === 'HPE_HEADER_OVERFLOW'
          ? '431 Request Header Fields Too Large'
          : '400 Bad Request';
    if (!socket.writable) return void socket.destroy();
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const where = formatListenAddress(options.address);
      const reason =
        error.code === 'EADDRINUSE'
          ? 'the address is in use (is another agent running?)'
          : error.code === 'EACCES'
            ? 'permission denied (ports below 1024 need privileges)'
            : error.code === 'EADDRNOTAVAIL'
              ? 'no interface has this address'
              : error.message;
      // A taken port may free itself (an old agent still stopping): 69, which systemd restarts, not 78, which it does not.
      reject(new UnavailableError(`Cannot listen on ${where}: ${reason}`, { hint: 'set server.listen', cause: error }));
    });
    server.listen(
      { host: options.address.host === '' ? undefined : options.address.host, port: options.address.port },
      resolve,
    );
  });
  const bound = server.address();
  const address = bound && typeof bound === 'object' ? { host: bound.address, port: bound.port } : options.address;
  if (options.requireLoopback && !isLoopback(address.host)) {
    await new Promise((resolve) => server.close(resolve));
    throw new UserError(
      `Refusing to serve ${formatListenAddress(options.address)}: it resolved to ${address.host}, which is not loopback, and the server has no auth`,
      { hint: 'set server.auth, or listen on 127.0.0.1 or [::1]' },
    );
  }
  const scheme = options.tls ? 'https' : 'http';
  return {
    address,
    url: `${scheme}://${formatListenAddress(address)}`,
    close: (deadlineMs = 5000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, deadlineMs);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
