import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a fake platform API received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A scripted answer: status, JSON body and headers. */
export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A local HTTP server standing in for the Graph API or the Bot API. */
export interface FakePlatform {
  url: string;
  readonly requests: RecordedRequest[];
  /** Answers to give next, in order; after them, `fallback`. */
  script(...answers: FakeAnswer[]): void;
  /** Requests whose path ends with `suffix`. */
  sent(suffix: string): RecordedRequest[];
  clear(): void;
  close(): Promise<void>;
}

/**
 * Starts a fake platform API on 127.0.0.1 that records every request and
 * answers `fallback` (200) unless answers were scripted.
 */
export async function startFakePlatform(fallback: (req: RecordedRequest) => FakeAnswer = () => ({ status: 200, body: { ok: true } })): Promise<FakePlatform> {
  const requests: RecordedRequest[] = [];
  const scripted: FakeAnswer[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch { /* keep the text */ }
      const recorded: RecordedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      requests.push(recorded);
      const answer = scripted.shift() ?? fallback(recorded);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script: (...answers) => void scripted.push(...answers),
    sent: (suffix) => requests.filter((r) => r.path.endsWith(suffix)),
    clear: () => void requests.splice(0),
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
