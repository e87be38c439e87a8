// The gallery's script, served from S3 under static/ (collectstatic, TODO 5): shows each
// image's size once it has loaded from S3 by its presigned URL (TODO 2).
for (const image of document.querySelectorAll('.gallery img')) {
  const caption = image.closest('figure').querySelector('.size');
  const show = () => (caption.textContent = image.naturalWidth ? `${image.naturalWidth} x ${image.naturalHeight}` : 'not loaded');
  if (image.complete) show();
  else image.addEventListener('load', show), image.addEventListener('error', show);
}
