// Digits drawn by the tests, as strokes of points in pad-relative units (0..1 × 0..1), shared by
// the Playwright specs (support/lab.js) and the Firefox smoke test (firefox.mjs).

/** A handwritten-looking "1": one slightly slanted down-stroke (20 points). */
export const ONE = [Array.from({ length: 20 }, (_, i) => [0.53 - (0.065 * i) / 19, 0.17 + (0.66 * i) / 19])];

/** A handwritten-looking "0": an upright ellipse, drawn once around and closed (37 points). */
export const ZERO = [
  Array.from({ length: 37 }, (_, i) => {
    const t = -Math.PI / 2 + (2 * Math.PI * i) / 36; // start at the top, go round, end at the top
    return [0.5 + 0.2 * Math.cos(t), 0.5 + 0.31 * Math.sin(t)];
  }),
];
