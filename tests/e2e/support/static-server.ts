import { createReadStream } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type StaticRoute =
  { contentType: string; body: string } | { contentType: string; file: string };

export interface StaticServer {
  /** e.g. `http://127.0.0.1:41234`: a secure context, so getUserMedia works without TLS. */
  url: string;
  close(): Promise<void>;
}

/** Serves fixed pages and files on 127.0.0.1 at a free port, for tests that need a real origin. */
export async function startStaticServer(
  routes: Record<string, StaticRoute>,
): Promise<StaticServer> {
  const server = createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes[pathname];
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': route.contentType, 'cache-control': 'no-store' });
    if ('body' in route) {
      response.end(route.body);
    } else {
      createReadStream(route.file)
        .on('error', () => response.destroy())
        .pipe(response);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
