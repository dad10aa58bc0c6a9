// The images of an IDX pair in label order and back (www/data-order.js, the page's own
// code), for scripts/fetch-data.sh: `node scripts/data-order.mjs sort IMAGES LABELS` writes the
// images file in label order to stdout, `restore` (IMAGES may be - for stdin) puts it back.
import { readFileSync, writeSync } from 'node:fs';
import { labelOrder } from '../www/data-order.js';

const [mode, images, labels] = process.argv.slice(2);
if (!['sort', 'restore'].includes(mode) || !images || !labels) {
  console.error('usage: node scripts/data-order.mjs sort|restore IMAGES|- LABELS');
  process.exit(2);
}
const imageBytes = readFileSync(images === '-' ? 0 : images);
const out = labelOrder(imageBytes, readFileSync(labels), mode === 'restore');
if (out === imageBytes) {
  console.error(`${images}: not an IDX images file that fits ${labels}`);
  process.exit(1);
}
for (let at = 0; at < out.length; ) at += writeSync(1, out, at, Math.min(out.length - at, 1 << 20));
