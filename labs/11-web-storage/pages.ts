import { readFileSync } from 'node:fs';

/** The web app's two pages. Static files (stylesheet, logo, gallery script) come from S3 by their URLs. */

export interface StaticUrls {
  css: string;
  logo: string;
  galleryScript: string;
}

const UPLOAD_SCRIPT = readFileSync(new URL('./upload-page.js', import.meta.url), 'utf8');

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function layout(title: string, urls: StaticUrls, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${escapeHtml(urls.css)}">
</head>
<body>
<header><img id="logo" src="${escapeHtml(urls.logo)}" alt=""><h1>${escapeHtml(title)}</h1></header>
${body}
</body>
</html>
`;
}

export function uploadPage(urls: StaticUrls, maxBytes: number): string {
  return layout(
    'Upload a picture',
    urls,
    `<p>Images up to ${maxBytes.toLocaleString('en')} bytes go straight from your browser to S3.</p>
<form id="upload">
  <input type="file" name="file" accept="image/*">
  <button type="submit">Upload</button>
</form>
<p id="status" role="status"></p>
<p><a href="/gallery">See the gallery</a></p>
<script type="module">
${UPLOAD_SCRIPT}
</script>`,
  );
}

export interface GalleryItem {
  name: string;
  url: string;
}

export function galleryPage(urls: StaticUrls, items: GalleryItem[], directories: string[]): string {
  const figures = items
    .map(
      (item) => `<li><figure><img src="${escapeHtml(item.url)}" alt="${escapeHtml(item.name)}" data-name="${escapeHtml(item.name)}">
<figcaption>${escapeHtml(item.name)} <span class="size"></span></figcaption></figure></li>`,
    )
    .join('\n');
  const folders = directories.map((name) => `<li>${escapeHtml(name)}/</li>`).join('');
  return layout(
    'Gallery',
    urls,
    `<p><a href="/">Upload another</a></p>
${directories.length > 0 ? `<ul class="folders">${folders}</ul>` : ''}
<ul class="gallery">
${figures || '<li>No pictures yet.</li>'}
</ul>
<script src="${escapeHtml(urls.galleryScript)}" defer></script>`,
  );
}
