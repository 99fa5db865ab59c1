import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';

export interface HttpResult {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One HTTP request over a fresh connection; resolves when the whole body has arrived. */
export function send(url: string, method = 'GET', body?: unknown): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      url,
      {
        method,
        agent: new Agent({ keepAlive: false }),
        headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** Starts a request and hands back a way to cut the connection before the answer. */
export function sendAndAbortLater(url: string, method = 'POST') {
  const req = httpRequest(url, { method, agent: new Agent({ keepAlive: false }) });
  const settled = new Promise<void>((resolve) => {
    req.on('error', () => resolve());
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve());
      res.on('error', () => resolve());
      res.on('close', () => resolve());
    });
    req.on('close', () => resolve());
  });
  req.end();
  return { abort: () => req.destroy(), settled };
}

/** A GET whose first chunk and whole body the test can await separately. */
export function sendStreaming(url: string) {
  let onFirst!: (chunk: string) => void;
  const firstChunk = new Promise<string>((resolve) => (onFirst = resolve));
  const body = new Promise<string>((resolve, reject) => {
    const req = httpRequest(url, { agent: new Agent({ keepAlive: false }) }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        if (text === '') onFirst(chunk.toString());
        text += chunk.toString();
      });
      res.on('end', () => resolve(text));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  return { firstChunk, body };
}

/** A GET kept open by the server (SSE): await some text, or its end, or cut it from the client. */
export function openStream(url: string) {
  let text = '';
  let waiters: { needle: string; resolve: (found: boolean) => void }[] = [];
  const check = (ended: boolean) => {
    waiters = waiters.filter((waiter) => {
      if (text.includes(waiter.needle)) waiter.resolve(true);
      else if (ended) waiter.resolve(false);
      else return true;
      return false;
    });
  };
  let req!: ReturnType<typeof httpRequest>;
  const body = new Promise<string>((resolve, reject) => {
    req = httpRequest(url, { agent: new Agent({ keepAlive: false }) }, (res) => {
      const end = () => {
        check(true);
        resolve(text);
      };
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        check(false);
      });
      res.on('end', end);
      res.on('error', end);
      res.on('close', end);
    });
    req.on('error', reject);
    req.end();
  });
  return {
    body,
    /** Resolves true once `needle` has arrived, false if the stream ended without it. */
    received: (needle: string) =>
      new Promise<boolean>((resolve) => {
        waiters.push({ needle, resolve });
        check(false);
      }),
    abort: () => req.destroy(),
  };
}
