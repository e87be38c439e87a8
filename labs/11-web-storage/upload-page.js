// The upload page's script (the app puts it inline in the page): the file goes from the
// browser straight to S3 with the form the app presigned (TODO 3), never through the app.
const form = document.querySelector('#upload');
const status = document.querySelector('#status');

function show(text, kind) {
  status.textContent = text;
  status.className = kind;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const file = form.elements.file.files[0];
  if (!file) return show('Choose a file first.', 'refused');
  show(`Uploading ${file.name}...`, '');
  const answer = await fetch('/api/uploads', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: file.name, type: file.type }),
  });
  if (!answer.ok) return show(`The app could not prepare the upload: ${await answer.text()}`, 'refused');
  const { url, fields, key } = await answer.json();
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  // The policy decides which Content-Type S3 accepts; send the browser's unless it is fixed.
  if (!Object.keys(fields).some((name) => name.toLowerCase() === 'content-type')) body.append('Content-Type', file.type);
  body.append('file', file);
  let response;
  try {
    response = await fetch(url, { method: 'POST', body });
  } catch (error) {
    return show(`S3 could not be reached or its answer was blocked (CORS?): ${error}`, 'refused');
  }
  if (!response.ok) {
    // S3's refusal is an XML document: <Error><Code>EntityTooLarge</Code><Message>...</Message></Error>
    const error = new DOMParser().parseFromString(await response.text(), 'application/xml');
    const code = error.querySelector('Code')?.textContent ?? `HTTP ${response.status}`;
    const message = error.querySelector('Message')?.textContent ?? '';
    return show(`S3 refused the upload: ${code} ${message}`, 'refused');
  }
  show(`Uploaded ${key}`, 'done');
  document.body.dataset.uploaded = key;
});
