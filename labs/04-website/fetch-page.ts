import { request } from 'node:http';

export interface Page {
  status: number;
  contentType: string | undefined;
  body: Buffer;
}

/**
 * GETs a website URL like a browser, anonymously. On the lab emulator the host is
 * `<bucket>.s3-website.<region>.localhost`: browsers send every *.localhost name to
 * 127.0.0.1, but Node's resolver may not, so connect to 127.0.0.1 and send the name in
 * the Host header (which is how S3 tells the website endpoint from the REST API).
 */
export function fetchPage(url: string): Promise<Page> {
  const target = new URL(url);
  const local = target.hostname.endsWith('.localhost');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: local ? '127.0.0.1' : target.hostname,
        port: target.port || 80,
        path: `${target.pathname}${target.search}`,
        headers: { host: target.host },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}
