// @ts-check
// Figures that leave the page, and the charts' text alternative: the "PNG" and "CSV" buttons
// under each chart (the canvas composited with its title, legend and notes; the plotted numbers
// with a header and the runs' settings, chart-csv.js), downloaded through an <a download> with a
// blob: URL as the weights export does; and the label a screen reader reads on the chart box,
// rewritten at most every few seconds (no live region: nothing is announced by itself).

import { buildCsv, fileName } from './chart-csv.js';
import { el } from './dom.js';

/** The chart box's accessible label is rewritten at most this often. */
export const SUMMARY_EVERY_MS = 3000;

/**
 * One legend line of a PNG: a swatch (line colour, dashed or not) and its text.
 * @typedef {{color: string, dash?: number[], width?: number, text: string}} LegendItem
 */

/**
 * What a chart can export, asked for at the moment of the click.
 * @typedef {object} ExportSource
 * @property {() => string} title
 * @property {() => {comments: string[], columns: string[], data: ArrayLike<number|null|undefined>[]}} table
 * @property {() => HTMLCanvasElement|null} canvas the chart's drawn canvas (axes included)
 * @property {() => LegendItem[]} legend
 * @property {() => string[]} [notes] lines under the legend (e.g. the runs' settings)
 */

/**
 * Save a blob as a file (a blob: URL clicked through a hidden <a download>).
 * @param {Blob} blob
 * @param {string} filename
 */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: filename, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/**
 * `text` in lines no wider than `room` (broken at spaces; a single longer word stays whole).
 * @param {CanvasRenderingContext2D} ctx with the font set
 * @param {string} text
 * @param {number} room
 */
function wrap(ctx, text, room) {
  const lines = [];
  let current = '';
  for (const word of text.split(' ')) {
    const next = current ? `${current} ${word}` : word;
    if (current && ctx.measureText(next).width > room) {
      lines.push(current);
      current = word;
    } else current = next;
  }
  lines.push(current);
  return lines;
}

/**
 * The chart as a picture: title, the canvas (plot and axes), then the legend and notes, on white.
 * @param {ExportSource} src
 * @returns {Promise<Blob>}
 */
export function composePng(src) {
  const plot = src.canvas();
  if (!plot || plot.width === 0) return Promise.reject(new Error('the chart is not drawn yet'));
  const ratio = Math.max(1, plot.width / Math.max(1, plot.getBoundingClientRect().width || plot.width));
  const px = (n) => Math.round(n * ratio);
  const pad = px(12);
  const width = plot.width + 2 * pad;
  const scratch = document.createElement('canvas').getContext('2d');
  const legend = src.legend();
  const notes = src.notes ? src.notes() : [];
  // Lay the legend out in rows that fit the width; a text too long for one row wraps at spaces.
  scratch.font = `${px(12)}px ${FONT_STACK}`;
  const swatch = px(22);
  const gap = px(14);
  const room = width - 2 * pad - swatch - px(6);
  /** @type {{item: LegendItem, lines: string[], x: number, line: number}[]} */
  const placed = [];
  let x = pad;
  let lineAt = 0;
  let rowLines = 1;
  for (const item of legend) {
    const lines = wrap(scratch, item.text, room);
    const w = swatch + px(6) + Math.max(...lines.map((l) => scratch.measureText(l).width));
    if (x > pad && (x + w > width - pad || lines.length > 1)) {
      lineAt += rowLines;
      rowLines = 1;
      x = pad;
    }
    placed.push({ item, lines, x, line: lineAt });
    rowLines = Math.max(rowLines, lines.length);
    x += w + gap;
    if (lines.length > 1) x = width; // a wrapped entry has its row to itself
  }
  const line = px(18);
  const titleH = px(26);
  const legendH = legend.length ? (lineAt + rowLines) * line + px(6) : 0;
  const height = pad + titleH + plot.height + px(8) + legendH + notes.length * px(16) + pad;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#0f172a';
  ctx.textBaseline = 'top';
  ctx.font = `600 ${px(15)}px ${FONT_STACK}`;
  ctx.fillText(src.title(), pad, pad, width - 2 * pad);
  const top = pad + titleH;
  ctx.drawImage(plot, pad, top);
  const legendTop = top + plot.height + px(8);
  ctx.font = `${px(12)}px ${FONT_STACK}`;
  ctx.textBaseline = 'middle';
  for (const { item, lines, x: lx, line: at } of placed) {
    const y = legendTop + at * line + line / 2;
    ctx.strokeStyle = item.color;
    ctx.lineWidth = px(item.width || 2.5);
    ctx.setLineDash((item.dash || []).map(px));
    ctx.beginPath();
    ctx.moveTo(lx, y);
    ctx.lineTo(lx + swatch, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = '#0f172a';
    lines.forEach((l, i) => ctx.fillText(l, lx + swatch + px(6), y + i * line));
  }
  ctx.fillStyle = '#475569';
  ctx.font = `${px(11)}px ${FONT_STACK}`;
  ctx.textBaseline = 'top';
  notes.forEach((n, i) => ctx.fillText(n, pad, legendTop + legendH + i * px(16), width - 2 * pad));
  return new Promise((resolve, reject) => {
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the browser could not encode the PNG'))), 'image/png');
  });
}

/**
 * The PNG and CSV buttons of a chart, placed right after its box (test hooks
 * `<box testid>-png`, `<box testid>-csv`).
 * @param {HTMLElement} box the chart's container (its data-testid names the buttons)
 * @param {ExportSource} src
 */
export function chartTools(box, src) {
  const id = box.dataset.testid || 'chart';
  const png = el('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: `${id}-png`, title: 'Download this chart as a PNG image' }, 'PNG');
  const csv = el('button', { type: 'button', class: 'btn btn-small btn-ghost', testid: `${id}-csv`, title: 'Download the plotted numbers as CSV' }, 'CSV');
  const note = el('span', { class: 'chart-tools-note', role: 'status' });
  png.setAttribute('aria-label', `Download “${src.title()}” as PNG`);
  csv.setAttribute('aria-label', `Download the numbers of “${src.title()}” as CSV`);
  png.addEventListener('click', async () => {
    note.textContent = '';
    try {
      download(await composePng(src), fileName(src.title(), 'png'));
    } catch (e) {
      note.textContent = `No PNG: ${e.message}.`;
    }
  });
  csv.addEventListener('click', () => {
    note.textContent = '';
    try {
      download(new Blob([buildCsv(src.table())], { type: 'text/csv' }), fileName(src.title(), 'csv'));
    } catch (e) {
      note.textContent = `No CSV: ${e.message}.`;
    }
  });
  const tools = el('div', { class: 'chart-tools' }, el('span', { class: 'chart-tools-label', 'aria-hidden': 'true' }, 'Download'), png, csv, note);
  if (box.parentNode) box.after(tools);
  else box.append(tools);
  return tools;
}

/**
 * The text alternative of a chart: the box is an image to assistive technology, labelled with
 * what it shows and its latest values. Rewritten at most every SUMMARY_EVERY_MS (the last
 * request wins), never announced by itself.
 * @param {HTMLElement} box
 * @param {() => string} text
 * @returns {() => void} request an update
 */
export function summary(box, text) {
  box.setAttribute('role', 'img');
  let last = 0;
  let timer = 0;
  const write = () => {
    timer = 0;
    last = Date.now();
    const t = text();
    if (box.getAttribute('aria-label') !== t) box.setAttribute('aria-label', t);
  };
  return () => {
    if (timer) return;
    const wait = last + SUMMARY_EVERY_MS - Date.now();
    if (wait <= 0) write();
    else timer = window.setTimeout(write, wait);
  };
}

/**
 * The title of the figure a chart box is in (its card's heading), else its testid.
 * @param {HTMLElement} box
 */
export function figureTitle(box) {
  const h = box.closest('figure')?.querySelector('h3');
  const t = h?.textContent?.trim();
  return t || (box.dataset.testid || 'chart').replace(/-/g, ' ');
}
