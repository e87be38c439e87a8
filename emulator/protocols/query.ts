import { send, type ProtocolSerializer } from './serializer.ts';
import { toXml } from './xml.ts';

const NAMESPACES: Record<string, string> = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
};

/** The query protocol of IAM and STS: form-encoded requests, XML responses. */
export const query: ProtocolSerializer = {
  success(ctx, out, res) {
    const operation = ctx.operation ?? 'Unknown';
    const value: Record<string, unknown> = {
      '@_xmlns': NAMESPACES[ctx.service?.name ?? ''] ?? '',
      ...(out.result ? { [`${operation}Result`]: out.result } : {}),
      ResponseMetadata: { RequestId: ctx.requestId },
    };
    send(
      res,
      out.status ?? 200,
      { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId, ...out.headers },
      toXml(`${operation}Response`, value),
    );
  },

  error(ctx, error, res) {
    const body = toXml('ErrorResponse', {
      '@_xmlns': NAMESPACES[ctx.service?.name ?? ''] ?? '',
      Error: { Type: error.faultType, Code: error.code, Message: error.message, ...error.extra },
      RequestId: ctx.requestId,
    });
    send(res, error.status, { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId, ...error.headers }, body);
  },
};
