// @ts-check
// Section 1 "The logistic sigmoid": σ(z) and σ′(z) = σ(z)(1 − σ(z)) from the Rust core, a
// draggable z showing σ(z), σ(−z) and 1 − σ(z) (the symmetry σ(−z) = 1 − σ(z)), and the
// maximum of σ′, ¼ at z = 0.

import { createLineChart, PALETTE } from '../charts.js';
import { el, setValue } from '../dom.js';
import { errorText, formatNumber } from '../format.js';
import { lessonClient } from '../lesson-client.js';
import { lessonSection, oneAtATime, onFrame } from '../run-control.js';
import { chartCard, figure, figures, statusLine } from '../widgets.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'sigmoid';
export const TITLE = '1 Sigmoid';

/** The z range plotted and its samples. */
const Z_MAX = 8;
const POINTS = 801;
/** The z shown first. */
const Z0 = 2;

const TEX = {
  sigma: String.raw`\sigma(z) = \frac{1}{1 + e^{-z}}`,
  symmetry: String.raw`\sigma(-z) = 1 - \sigma(z)`,
  prime: String.raw`\sigma'(z) = \sigma(z)\,\bigl(1 - \sigma(z)\bigr)`,
};

/** The section's head (shown at once); `build` makes the rest in a later task. */
export const mount = lessonSection({
  title: '1 · The logistic sigmoid',
  lede: [
    'Logistic regression squashes the score z = xᵀw + b into (0, 1) with σ. It is monotone and bounded, symmetric about (0, ½), ',
    'and its slope σ′ is largest at z = 0, where it is only ¼: far from 0 the curve is flat.',
  ],
  formulas: [TEX.sigma, TEX.symmetry, TEX.prime],
}, build);

/**
 * The body of the section (controls, charts, figures) and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const client = lessonClient(session);
  const view = { curve: null, at: null, z: Z0, chart: null };

  const slider = el('input', { id: 'sigmoid-slider', testid: 'sigmoid-slider', type: 'range', min: String(-Z_MAX), max: String(Z_MAX), step: '0.01', value: String(Z0) });
  const figs = {
    z: figure('sigmoid-z', 'z'),
    sigma: figure('sigmoid-value', 'σ(z)'),
    neg: figure('sigmoid-neg', 'σ(−z)'),
    oneMinus: figure('sigmoid-one-minus', '1 − σ(z)'),
    prime: figure('sigmoid-prime', 'σ′(z)'),
    max: figure('sigmoid-prime-max', 'max σ′'),
  };
  const status = statusLine('sigmoid-status');
  const card = chartCard('sigmoid-chart', 'σ(z) and its derivative σ′(z)', 'Drag along the chart (or use the slider). Filled dot: σ(z); open dot: σ(−z) at −z. The two brackets have the same length: 1 − σ(z) above the filled dot, σ(−z) below the open one. Square: the maximum of σ′.');

  root.append(
    el(
      'div',
      { class: 'lesson-grid' },
      card.node,
      el(
        'div',
        { class: 'card lesson-side' },
        el('h3', {}, 'Move z'),
        el('label', { class: 'slider-row', for: 'sigmoid-slider' }, el('span', {}, 'z'), slider),
        figures(figs.z, figs.sigma, figs.neg, figs.oneMinus, figs.prime, figs.max),
        el('p', { class: 'field-note' }, 'Every number is computed by the Rust core (the σ the models use), in the worker.'),
        status.node,
      ),
    ),
  );

  const render = onFrame(() => {
    const a = view.at;
    if (a) {
      figs.z.set(a.z);
      figs.sigma.set(a.sigma);
      figs.neg.set(a.sigma_neg);
      figs.oneMinus.set(a.one_minus_sigma);
      figs.prime.set(a.sigma_prime);
      const same = Math.abs(a.sigma_neg - a.one_minus_sigma);
      setValue(figs.oneMinus.note, same === 0 ? '= σ(−z), to the last bit' : `= σ(−z) up to rounding (${formatNumber(same, 2)})`);
    }
    view.chart?.redraw();
  });

  /** Ask the core for σ at the latest z (one request in flight). */
  const ask = oneAtATime(async () => {
    try {
      view.at = await client.call('sigmoidAt', { z: view.z });
      render();
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  });

  function setZ(z) {
    view.z = Math.round(Math.max(-Z_MAX, Math.min(Z_MAX, z)) * 100) / 100;
    slider.value = String(view.z);
    ask();
  }

  slider.addEventListener('input', () => setZ(Number(slider.value)));

  /** Markers: the dragged z, σ(z), σ(−z), the two equal brackets and the maximum of σ′. */
  function drawMarkers(u) {
    const a = view.at;
    const { ctx } = u;
    const x = (v) => u.valToPos(v, 'x', true);
    const y = (v) => u.valToPos(v, 'y', true);
    const dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.lineWidth = 1.5 * dpr;
    if (view.curve) {
      // Maximum of σ′.
      const m = view.curve.max;
      ctx.fillStyle = PALETTE.mse;
      const s = 5 * dpr;
      ctx.fillRect(x(m.z) - s, y(m.value) - s, 2 * s, 2 * s);
      ctx.font = `600 ${12 * dpr}px system-ui, sans-serif`;
      ctx.textBaseline = 'bottom';
      ctx.fillStyle = '#334155';
      // Right of the square if it fits inside the plot, else on two lines, else ending at the
      // plot's right edge (a phone's chart is narrow).
      const lines = [`max σ′ = ${formatNumber(m.value)}`, `at z = ${formatNumber(m.z)}`];
      const right = u.bbox.left + u.bbox.width;
      const at = x(m.z) + 9 * dpr;
      const one = lines.join(' ');
      const fits = (texts) => texts.every((t) => at + ctx.measureText(t).width <= right);
      const shown = fits([one]) ? [one] : lines;
      const left = fits(shown) ? at : Math.max(u.bbox.left, right - Math.max(...shown.map((t) => ctx.measureText(t).width)));
      ctx.textAlign = 'left';
      const lineHeight = 14 * dpr;
      shown.forEach((t, i) => ctx.fillText(t, left, y(m.value) - 8 * dpr - (shown.length - 1 - i) * lineHeight));
    }
    if (a) {
      ctx.strokeStyle = 'rgba(51, 65, 85, 0.55)';
      ctx.setLineDash([4 * dpr, 4 * dpr]);
      for (const zz of [a.z, -a.z]) {
        ctx.beginPath();
        ctx.moveTo(x(zz), y(0));
        ctx.lineTo(x(zz), y(1));
        ctx.stroke();
      }
      ctx.setLineDash([]);
      // Brackets: 1 − σ(z) from σ(z) up to 1 at z; σ(−z) from 0 up to σ(−z) at −z.
      ctx.strokeStyle = PALETTE.n1;
      ctx.lineWidth = 4 * dpr;
      const bracket = (xx, y0, y1) => {
        ctx.beginPath();
        ctx.moveTo(xx + 6 * dpr, y(y0));
        ctx.lineTo(xx + 6 * dpr, y(y1));
        ctx.stroke();
      };
      bracket(x(a.z), a.sigma, 1);
      bracket(x(-a.z), 0, a.sigma_neg);
      ctx.lineWidth = 2 * dpr;
      ctx.fillStyle = PALETTE.log;
      ctx.beginPath();
      ctx.arc(x(a.z), y(a.sigma), 6 * dpr, 0, 2 * Math.PI);
      ctx.fill();
      ctx.strokeStyle = PALETTE.log;
      ctx.fillStyle = '#fff';
      ctx.beginPath();
      ctx.arc(x(-a.z), y(a.sigma_neg), 6 * dpr, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
  }

  /** Dragging on the plot moves z. */
  function wireDrag(u) {
    const over = u.over;
    over.style.cursor = 'ew-resize';
    over.style.touchAction = 'none';
    let down = false;
    const move = (e) => setZ(u.posToVal(e.offsetX, 'x'));
    over.addEventListener('pointerdown', (e) => {
      down = true;
      over.setPointerCapture(e.pointerId);
      move(e);
    });
    over.addEventListener('pointermove', (e) => {
      if (down) move(e);
    });
    const up = () => {
      down = false;
    };
    over.addEventListener('pointerup', up);
    over.addEventListener('pointercancel', up);
  }

  async function start() {
    try {
      const c = await client.call('sigmoidCurve', { min: -Z_MAX, max: Z_MAX, points: POINTS });
      let i = 0;
      for (let k = 1; k < c.sigma_prime.length; k++) if (c.sigma_prime[k] > c.sigma_prime[i]) i = k;
      view.curve = { ...c, max: { z: c.z[i], value: c.sigma_prime[i] } };
      figs.max.set(c.sigma_prime[i]);
      setValue(figs.max.note, `at z = ${formatNumber(c.z[i])}`);
      view.chart = createLineChart(card.box, {
        x: { label: 'z (score xᵀw + b)', range: [-Z_MAX, Z_MAX] },
        y: [{ label: 'σ(z) and σ′(z)', range: [0, 1.02] }],
        series: [
          { label: 'σ(z)', stroke: PALETTE.log, width: 2.5 },
          { label: 'σ′(z)', stroke: PALETTE.mse, width: 2.5 },
        ],
        hooks: { draw: [drawMarkers], ready: [wireDrag] },
      });
      view.chart.update([c.z, c.sigma, c.sigma_prime]);
      ask();
    } catch (e) {
      if (!e.crashed) status.set('error', errorText(e));
    }
  }

  requestAnimationFrame(start);
}
