/**
 * The request header that simulates a client address for aws:SourceIp (every real
 * request comes from 127.0.0.1). Here, below both the pipeline that reads it into
 * the request context and the authorization code that evaluates it, so neither
 * imports the other.
 */
export const SOURCE_IP_HEADER = 'x-emulator-source-ip';
