// Tick labels and ranges of the charts (www/chart-axes.js): every label names exactly the number
// of its tick, at every scale; the accuracy zoom; the x units of the Train charts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyRange, exponentForm, firstPositive, legendNumber, lossRange, tickLabel, tickLabels, tickSpace, toX, xLabel } from '../../www/chart-axes.js';

/** The number a label names (inverse of tickLabel). */
function parse(label) {
  const sup = { '⁻': '-', '⁰': 0, '¹': 1, '²': 2, '³': 3, '⁴': 4, '⁵': 5, '⁶': 6, '⁷': 7, '⁸': 8, '⁹': 9 };
  const exp = label.match(/^(-?[\d.]+)×10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)$/);
  if (exp) return Number(`${exp[1]}e${[...exp[2]].map((c) => sup[c]).join('')}`);
  const m = label.replace(/,/g, '').match(/^(-?[\d.]+)([kMBT]?)$/);
  assert.ok(m, `label ${label} has a known form`);
  return Number(m[1]) * { '': 1, k: 1e3, M: 1e6, B: 1e9, T: 1e12 }[m[2]];
}

test('150 000 and 1.5 M are 150k and 1.5M (not "2e+5", "2e+6")', () => {
  assert.deepEqual(tickLabels([0, 50_000, 100_000, 150_000]), ['0', '50k', '100k', '150k']);
  assert.deepEqual(tickLabels([0, 500_000, 1_000_000, 1_500_000]), ['0', '500k', '1M', '1.5M']);
  assert.equal(tickLabel(150_000, true), '150k');
  assert.equal(tickLabel(1_500_000, true), '1.5M');
  assert.equal(tickLabel(150_000), '150,000', 'thousands separators when not compact');
});

test('an axis below 10,000 uses separators; one axis never mixes forms', () => {
  assert.deepEqual(tickLabels([0, 2000, 4000, 6000, 8000]), ['0', '2,000', '4,000', '6,000', '8,000']);
  assert.deepEqual(tickLabels([0, 5000, 10_000, 15_000]), ['0', '5k', '10k', '15k']);
  assert.deepEqual(tickLabels([0.1, 0.2, 0.30000000000000004]), ['0.1', '0.2', '0.3']);
  assert.deepEqual(tickLabels([null, 10, null]), ['', '10', '']);
});

test('a value with more digits than a short form holds keeps them all (never rounded)', () => {
  assert.equal(tickLabel(1_234_567, true), '1,234,567');
  assert.equal(tickLabel(12_345, true), '12,345');
  assert.equal(tickLabel(1250, true), '1.25k');
  assert.equal(tickLabel(-2_500_000, true), '-2.5M');
});

test('huge losses (a diverging run reaches 1e35) and tiny values in exponent form, exactly', () => {
  assert.equal(tickLabel(1e35), '1×10³⁵');
  assert.equal(tickLabel(2.5e35), '2.5×10³⁵');
  assert.equal(tickLabel(5e-7), '5×10⁻⁷');
  assert.deepEqual(tickLabels([0, 5e34, 1e35, 1.5e35]), ['0', '5×10³⁴', '1×10³⁵', '1.5×10³⁵']);
  assert.equal(exponentForm(123456, 3), '1.23×10⁵');
  assert.equal(legendNumber(3.4e35), '3.40×10³⁵');
  assert.equal(legendNumber(0.30512), '0.305');
  assert.equal(legendNumber(91.2345, 2, ' %'), '91.23 %');
  assert.equal(legendNumber(NaN), '–');
});

test('every label names its own number, over many scales (property)', () => {
  const steps = [1, 2, 2.5, 5];
  for (let e = -6; e <= 36; e++) {
    for (const m of steps) {
      const incr = m * 10 ** e;
      const splits = Array.from({ length: 7 }, (_, i) => Number((i * incr).toPrecision(12)));
      const labels = tickLabels(splits);
      splits.forEach((v, i) => {
        const back = parse(labels[i]);
        assert.ok(Math.abs(back - v) <= Math.abs(v) * 1e-9, `${v} labelled ${labels[i]} (${back})`);
      });
      assert.equal(new Set(labels).size, labels.length, `distinct labels ${labels}`);
    }
  }
});

test('ranges: losses from 0; accuracy zoomed to the data (80–100 % at 92 %) or 0–100 %', () => {
  assert.deepEqual(lossRange(0.2, 2.5), [0, 2.7]);
  assert.deepEqual(lossRange(null, null), [0, 1]);
  assert.deepEqual(accuracyRange([[9.8, 85, 91.5, 92.1]], true), [80, 100]);
  assert.deepEqual(accuracyRange([[9.8, 85, 91.5, 92.1]], false), [0, 100]);
  assert.deepEqual(accuracyRange([[9.8, 81]], true), [70, 90]);
  assert.deepEqual(accuracyRange([[10, 92], [10, 60]], true), [50, 100], 'the worst run stays on the chart');
  assert.deepEqual(accuracyRange([[10, 70.2]], true), [60, 80], 'not on the bottom edge');
  assert.deepEqual(accuracyRange([[99.5]], true), [80, 100]);
  assert.deepEqual(accuracyRange([], true), [0, 100]);
});

test('x units: steps, examples seen, epochs from what the run recorded', () => {
  const seenAt = (s) => (s <= 600 ? s * 100 : 60_000 + (s - 600) * 1000); // batch 100, then 1000
  assert.deepEqual(toX('steps', [0, 600, 660], seenAt, 60_000), [0, 600, 660]);
  assert.deepEqual(toX('examples', [0, 600, 660], seenAt, 60_000), [0, 60_000, 120_000]);
  assert.deepEqual(toX('epochs', [0, 600, 660], seenAt, 60_000), [0, 1, 2]);
  assert.equal(firstPositive([0, 0, 3, 5]), 2);
  assert.equal(firstPositive([]), 0);
  assert.match(xLabel('epochs', true), /^epoch .*log scale$/);
  assert.equal(xLabel('examples', false), 'examples seen');
});

test('tick spacing follows the labels\' size: at presenter size "1,000" and "1,250" keep apart', () => {
  // A label's width in a font of `em` px: digits about 0.6 em, separators and points 0.3 em.
  const widthAt = (em) => (t) => [...t].reduce((w, c) => w + (/[,.]/.test(c) ? 0.3 : 0.6) * em, 0);
  // uPlot's choice (as it makes it): the smallest step of 1, 2, 2.5, 5 × 10ⁿ at least `space` apart.
  const steps = [-2, -1, 0, 1, 2, 3, 4, 5, 6].flatMap((e) => [1, 2, 2.5, 5].map((m) => m * 10 ** e));
  const laidOut = (max, width, em) => {
    const space = tickSpace(true, 0, max, em, widthAt(em));
    const step = steps.find((s) => (s * width) / max >= space);
    const ticks = [];
    for (let v = 0; v <= max; v += step) ticks.push(Number(v.toPrecision(12)));
    return { space, step, ticks, px: (step * width) / max };
  };
  for (const em of [12, 16, 18, 24]) {
    for (const max of [0.9, 6, 60, 600, 3587, 15_000, 358_700, 1_500_000]) {
      for (const width of [300, 640, 820]) {
        const { ticks, px } = laidOut(max, width, em);
        const labels = tickLabels(ticks);
        for (let i = 1; i < labels.length; i++) {
          const room = px - (widthAt(em)(labels[i - 1]) + widthAt(em)(labels[i])) / 2;
          assert.ok(room >= em / 2, `${labels[i - 1]} and ${labels[i]} at ${em} px, ${px.toFixed(0)} px apart, leave ${room.toFixed(1)} px (axis to ${max}, ${width} px)`);
        }
      }
    }
  }
  // At the laptop's 12 px the short labels keep uPlot's 50 px; presenter's 18 px "3,600" needs more.
  assert.equal(tickSpace(true, 0, 600, 12, widthAt(12)), 50);
  assert.ok(tickSpace(true, 0, 3587, 18, widthAt(18)) > 70);
  assert.equal(laidOut(3587, 690, 18).step, 500, 'presenter mode\'s Train chart: a tick every 500 steps, not 250');
  // Vertical axes: 1½ lines, at least 30 px.
  assert.equal(tickSpace(false, 0, 2.5, 12, widthAt(12)), 30);
  assert.equal(tickSpace(false, 0, 2.5, 24, widthAt(24)), 36);
});
