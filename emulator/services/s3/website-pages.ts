/**
 * The HTML pages the S3 website endpoint answers errors with. Unlike the REST endpoint
 * (XML <Error> documents), a browser-facing website gets a small HTML page listing the
 * error's fields; the layout below follows the real endpoint's.
 */
export interface WebsiteErrorPage {
  status: number;
  code: string;
  message: string;
  /** Extra fields shown after Message, in order (Key, BucketName ...). */
  details?: Array<[name: string, value: string]>;
}

const STATUS_TEXT: Record<number, string> = {
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
};

export function statusLine(status: number): string {
  return `${status} ${STATUS_TEXT[status] ?? 'Error'}`;
}

/**
 * The error page. `errorDocumentFailure` is what went wrong fetching the bucket's own
 * error document, which S3 reports under the main error rather than hiding it.
 */
export function websiteErrorPage(
  error: WebsiteErrorPage,
  ids: { requestId: string; hostId: string },
  errorDocumentFailure?: WebsiteErrorPage,
): string {
  const title = statusLine(error.status);
  const lines = [
    '<html>',
    `<head><title>${title}</title></head>`,
    '<body>',
    `<h1>${title}</h1>`,
    '<ul>',
    ...fieldItems(error),
    `<li>RequestId: ${ids.requestId}</li>`,
    `<li>HostId: ${ids.hostId}</li>`,
    '</ul>',
  ];
  if (errorDocumentFailure) {
    lines.push(
      '<h3>An Error Occurred While Attempting to Retrieve a Custom Error Document</h3>',
      '<ul>',
      ...fieldItems(errorDocumentFailure),
      '</ul>',
    );
  }
  lines.push('<hr/>', '</body>', '</html>', '');
  return lines.join('\n');
}

function fieldItems(error: WebsiteErrorPage): string[] {
  const fields: Array<[string, string]> = [['Code', error.code], ['Message', error.message], ...(error.details ?? [])];
  return fields.map(([name, value]) => `<li>${name}: ${escapeHtml(value)}</li>`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
