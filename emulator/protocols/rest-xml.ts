import { pipeline, type Readable } from 'node:stream';
import { hostId } from '../core/ids.ts';
import { send, type ProtocolSerializer } from './serializer.ts';
import { toXml } from './xml.ts';

/** S3's REST-XML protocol. */
export const restXml: ProtocolSerializer = {
  success(ctx, out, res) {
    const headers = { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': hostId(), ...out.headers };
    const status = out.status ?? 200;
    if (out.xml) {
      return send(res, status, { 'content-type': 'application/xml', ...headers }, toXml(out.xml.root, out.xml.value));
    }
    if (out.body && typeof out.body !== 'string' && !Buffer.isBuffer(out.body)) {
      const body = out.body as Readable;
      // Whatever happens next (a header Node refuses, a HEAD, a client that goes away
      // mid-download), the stream is closed, and with it the file it holds open.
      try {
        res.writeHead(status, headers);
      } catch (error) {
        body.destroy();
        throw error;
      }
      if (ctx.method === 'HEAD') {
        body.destroy();
        res.end();
        return;
      }
      // pipeline, not pipe: an aborted response destroys the source, and a failing
      // source destroys the response (the client sees a cut-off body, never a hang).
      pipeline(body, res, () => undefined);
      return;
    }
    if (ctx.method === 'HEAD') {
      // HEAD carries the headers of the GET, content-length included, and no body.
      res.writeHead(status, headers);
      res.end();
      return;
    }
    send(res, status, headers, out.body as Buffer | string | undefined);
  },

  error(ctx, error, res) {
    const headers = { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': hostId(), ...error.headers };
    // HEAD errors have no body: the SDK can only read the status code.
    if (ctx.method === 'HEAD') return send(res, error.status, headers);
    const body = toXml('Error', {
      Code: error.code,
      Message: error.message,
      ...error.extra,
      RequestId: ctx.requestId,
      HostId: headers['x-amz-id-2'],
    });
    send(res, error.status, { 'content-type': 'application/xml', ...headers }, body);
  },
};
