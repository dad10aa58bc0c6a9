// The context transform of www/data-context.js (the page's own code), for scripts/fetch-data.sh:
// `node scripts/data-context.mjs sort IMAGES LABELS [IMAGES LABELS …]` writes the images files,
// each in label order (www/data-order.js), as one transformed stream to stdout;
// `restore N [FILE|-]` reads a transformed stream of N images files and writes them back, one
// after the other (still in label order), to stdout.
import { readFileSync, writeSync } from 'node:fs';
import { contextRestore, contextSort } from '../www/data-context.js';
import { labelOrder } from '../www/data-order.js';

const [mode, ...args] = process.argv.slice(2);
const write = (out) => {
  for (let at = 0; at < out.length; ) at += writeSync(1, out, at, Math.min(out.length - at, 1 << 20));
};
try {
  if (mode === 'sort' && args.length >= 2 && args.length % 2 === 0) {
    const files = [];
    for (let i = 0; i < args.length; i += 2) {
      const images = readFileSync(args[i]);
      const sorted = labelOrder(images, readFileSync(args[i + 1]), false);
      if (sorted === images) throw new Error(`${args[i]}: not an IDX images file that fits ${args[i + 1]}`);
      files.push(sorted);
    }
    write(contextSort(files));
  } else if (mode === 'restore' && /^[1-9]$/.test(args[0] ?? '') && args.length <= 2) {
    write(contextRestore(readFileSync(!args[1] || args[1] === '-' ? 0 : args[1]), Number(args[0])));
  } else {
    console.error('usage: node scripts/data-context.mjs sort IMAGES LABELS [IMAGES LABELS …] | restore N [FILE|-]');
    process.exit(2);
  }
} catch (e) {
  console.error(`data-context: ${e.message}`);
  process.exit(1);
}
