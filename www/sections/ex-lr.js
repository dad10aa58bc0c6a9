// @ts-check
// Exercise 3 "Choosing the learning rate ε": SGD(X, y, ε) → finalLoss as a function of ε,
// on a training split with the validation split held out of the training data. (a) grid
// search on a log grid; (b) gradient descent on log ε with the exact hypergradient dF/dε
// (forward mode through the unrolled updates); (c) online hypergradient descent (Baydin et al.
// 2018). What each costs, where they agree, and where the hypergradient stops meaning anything:
// the exact derivative against a finite difference of F as ε grows.

import { createLineChart, PALETTE } from '../charts.js';
import { el, setValue } from '../dom.js';
import { errorText, formatNumber } from '../format.js';
import { lessonClient } from '../lesson-client.js';
import { tex } from '../math.js';
import { Driver, lessonSection, onFrame, Runner, whenNear } from '../run-control.js';
import { chartCard, figure, figures, fillDefaults, numberField, numTable, statusLine } from '../widgets.js';

/** Section id (URL anchor) and table-of-contents title. */
export const ID = 'ex-lr';
export const TITLE = 'Ex 3 ε';

/** The grid of (a). */
const GRID = { epsilon_min: 1e-3, epsilon_max: 10, points: 9 };
/** Values of ε where the exact hypergradient is checked against a finite difference. */
const CHECK_EPSILONS = [0.01, 0.1, 0.3, 0.5, 1, 3];
/**
 * Relative steps h/ε of the two central differences. Where F is smooth they agree with each
 * other and with the exact derivative; where it is jagged they depend on h, and then neither
 * is a reference.
 */
const CHECK_STEPS = [1e-5, 1e-3];
/** A relative error above this is marked. */
const BAD_ERROR = 1e-3;

/** 10⁻⁵ for 1e-5: a power of ten with a superscript exponent. */
function power(v) {
  const sup = '⁰¹²³⁴⁵⁶⁷⁸⁹';
  return `10${String(Math.round(Math.log10(v))).replace('-', '⁻').replace(/\d/g, (d) => sup[Number(d)])}`;
}

const TEX = {
  F: String.raw`F(\varepsilon) = \mathrm{CE}_{\text{validation}}\bigl(\theta_T(\varepsilon)\bigr),\quad \theta_t = \theta_{t-1} - \varepsilon\, g_t(\theta_{t-1})`,
  tangent: String.raw`u_t = \frac{\partial\theta_t}{\partial\varepsilon} = u_{t-1} - g_t - \varepsilon H_t u_{t-1},\quad \frac{dF}{d\varepsilon} = \nabla F(\theta_T)^\top u_T`,
  online: String.raw`\varepsilon_t = \varepsilon_{t-1} + \beta\, g_t^\top g_{t-1}`,
};

/** The section's head (shown at once); `build` makes the rest in a later task. */
export const mount = lessonSection({
  title: 'Exercise 3 · Choosing the learning rate',
  lede: [
    'SGD(X, y, ε) returns the final parameters and loss. Pick ε by a grid search on a validation set — or treat the whole SGD run as a differentiable function of ε and do gradient descent on ε itself. Does that work?',
  ],
  formulas: [TEX.F],
}, build);

/**
 * The body of the section (controls, charts, figures) and its wiring.
 * @param {HTMLElement} root
 * @param {import('../session.js').Session} session
 */
function build(root, session) {
  const client = lessonClient(session);
  const charts = {};

  // --- The problem shared by the three methods ---------------------------------------------
  // The problem's and the methods' fields start at the core's defaults (LrSetup,
  // HypergradientConfig, OnlineConfig), filled in below once the worker has them.
  const trainSize = numberField({ id: 'lr-train', label: 'Training split', min: 1, max: 59000, step: '1', note: 'images' });
  const valSize = numberField({ id: 'lr-validation', label: 'Validation split', min: 1, max: 59000, step: '1', note: 'held out of training' });
  const budget = numberField({ id: 'lr-budget', label: 'Steps T per run', min: 1, max: 5000, step: '1' });
  const batch = numberField({ id: 'lr-batch', label: 'Batch size', min: 1, max: 59000, step: '1' });
  const setup = () => ({ train_size: trainSize.value(), validation_size: valSize.value(), budget: budget.value(), batch_size: batch.value() });
  const T = () => Math.max(1, budget.value() || 1);

  // --- (a) Grid search -----------------------------------------------------------------------
  const grid = { results: [], steps: 0, best: null };
  const gridStatus = statusLine('grid-status');
  const gridCard = chartCard('grid-chart', '', '', 'Press ▶ Play.');
  const gridFigs = {
    best: figure('grid-best-eps', 'best ε'),
    loss: figure('grid-best-loss', 'F(best ε)'),
    cost: figure('grid-cost-steps', 'SGD steps'),
  };
  const gridRunner = new Runner({
    client,
    prefix: 'grid',
    kind: 'grid',
    status: gridStatus,
    stepUnits: 50,
    config: () => ({ setup: setup(), ...GRID }),
    remaining: () => (grid.results.length >= GRID.points ? 0 : Infinity),
    onRecords: (records) => {
      grid.results.push(...records);
      if (records.length) grid.steps = records[records.length - 1].cost.sgd_steps;
      const ok = grid.results.filter((x) => Number.isFinite(x.validation_loss));
      grid.best = ok.length ? ok.reduce((a, b) => (b.validation_loss < a.validation_loss ? b : a)) : null;
      render();
    },
    onReset: () => {
      Object.assign(grid, { results: [], steps: 0, best: null });
      render();
    },
  });

  // --- (b) Hypergradient descent -------------------------------------------------------------
  const hyper = { records: [], steps: 0 };
  const hyperStatus = statusLine('hyper-status');
  const eps0 = numberField({ id: 'hyper-eps0', label: 'Start ε₀', min: 1e-6, max: 100, note: 'try 1: chaotic' });
  const eta = numberField({ id: 'hyper-eta', label: 'Step η on log ε', min: 0, max: 1e6 });
  const iterations = numberField({ id: 'hyper-iterations', label: 'Hyper-iterations', value: 12, min: 1, max: 200, step: '1' });
  const hyperCard = chartCard('hyper-chart', '', '', 'Press ▶ Play.');
  const hyperFigs = {
    eps: figure('hyper-eps', 'ε of the last run'),
    loss: figure('hyper-loss', 'its F(ε)'),
    deriv: figure('hyper-deriv', 'its dF/dε'),
    cost: figure('hyper-cost-steps', 'SGD steps'),
    hvp: figure('hyper-cost-hvp', 'Hessian–vector products'),
  };
  const hyperRunner = new Runner({
    client,
    prefix: 'hyper',
    kind: 'hypergradient',
    status: hyperStatus,
    stepUnits: T(),
    config: () => ({ setup: setup(), epsilon0: eps0.value(), hyper_lr: eta.value() }),
    remaining: () => Math.max(0, (iterations.value() || 0) * T() - hyper.steps),
    onRecords: (records, r) => {
      hyper.steps += r.units;
      hyper.records.push(...records);
      render();
    },
    onReset: () => {
      Object.assign(hyper, { records: [], steps: 0 });
      hyperRunner.o.stepUnits = T();
      render();
    },
  });

  // --- (c) Online hypergradient descent -------------------------------------------------------
  const online = { x: [], eps: [], loss: [], steps: 0, summary: null };
  const onlineStatus = statusLine('online-status');
  const onlineEps0 = numberField({ id: 'online-eps0', label: 'Start ε₀', min: 1e-6, max: 100 });
  const beta = numberField({ id: 'online-beta', label: 'β', min: 0, max: 1000 });
  const onlineCard = chartCard('online-chart', '', '', 'Press ▶ Play.');
  const onlineFigs = {
    eps: figure('online-eps', 'ε at the end'),
    loss: figure('online-loss', 'F at the end'),
    cost: figure('online-cost-steps', 'SGD steps'),
  };
  const onlineRunner = new Runner({
    client,
    prefix: 'online',
    kind: 'online',
    status: onlineStatus,
    pace: { initial: null, stepsLeft: () => (online.summary?.done ? 0 : Math.max(0, T() - online.steps)) },
    stepUnits: 10,
    summary: true,
    config: () => ({ setup: setup(), epsilon0: onlineEps0.value(), beta: beta.value() }),
    remaining: () => (online.summary?.done ? 0 : Infinity),
    onRecords: (records, r) => {
      for (const rec of records) {
        online.x.push(rec.step);
        online.eps.push(rec.epsilon);
        online.loss.push(rec.loss);
      }
      online.steps = r.summary ? r.summary.step : online.steps;
      online.summary = r.summary;
      render();
    },
    onReset: () => {
      Object.assign(online, { x: [], eps: [], loss: [], steps: 0, summary: null });
      render();
    },
  });

  const resetAll = () => {
    gridRunner.reset();
    hyperRunner.reset();
    onlineRunner.reset();
  };
  for (const f of [trainSize.input, valSize.input, budget.input, batch.input]) f.addEventListener('change', resetAll);
  for (const f of [eps0.input, eta.input]) f.addEventListener('change', () => hyperRunner.reset());
  iterations.input.addEventListener('change', () => hyperRunner.render());
  for (const f of [onlineEps0.input, beta.input]) f.addEventListener('change', () => onlineRunner.reset());

  // --- Costs, agreement, and when it breaks ---------------------------------------------------
  const { node: costTable, body: costBody } = numTable('lr-costs', ['method', 'SGD steps', 'H·v products', 'validation passes', 'ε', 'F(ε)']);
  const agreement = el('p', { class: 'lesson-verdict', testid: 'lr-agreement', data: { value: '' } });
  const { node: checkTable, body: checkBody } = numTable('lr-fd-table', ['ε', 'F(ε) (nats), exact dF/dε', ...CHECK_STEPS.map((h) => `h = ${power(h)}ε: difference (relative error)`)]);
  const checkButton = el('button', { type: 'button', class: 'btn', testid: 'lr-fd-run', title: `ε = ${CHECK_EPSILONS.join(', ')}` }, `Check dF/dε at ${CHECK_EPSILONS.length} values of ε`);
  const checkStatus = statusLine('lr-fd-status');
  const check = { rows: [] };
  const checkDriver = new Driver({
    chunk: async () => {
      const i = check.rows.length;
      if (i >= CHECK_EPSILONS.length) return false;
      checkStatus.set('running', `ε = ${CHECK_EPSILONS[i]}: ${3 * CHECK_STEPS.length} runs of ${T()} steps…`);
      const rows = [];
      for (const relativeStep of CHECK_STEPS) rows.push(await client.call('hypergradientCheck', { setup: setup(), epsilon: CHECK_EPSILONS[i], relativeStep }));
      check.rows.push({ epsilon: rows[0].epsilon, loss: rows[0].loss, derivative: rows[0].derivative, differences: rows.map((r) => ({ value: r.finite_difference, error: r.relative_error })) });
      renderCheck();
      if (check.rows.length === CHECK_EPSILONS.length) checkStatus.set('idle', `Done (h = ${CHECK_STEPS.map((h) => `${power(h)}ε`).join(' and ')}, T = ${T()}; red: relative error above ${power(BAD_ERROR)}).`);
      return check.rows.length < CHECK_EPSILONS.length;
    },
    onState: () => {
      checkButton.disabled = !client.ready || Boolean(checkDriver.busy);
    },
    onError: (e) => checkStatus.set('error', errorText(e)),
  });
  checkButton.addEventListener('click', () => {
    check.rows = [];
    renderCheck();
    checkDriver.play();
  });

  function renderCheck() {
    checkBody.replaceChildren(
      ...check.rows.map((r, i) => {
        const worst = Math.max(...r.differences.map((d) => d.error));
        return el(
          'tr',
          { testid: `lr-fd-${i}`, data: { value: String(r.differences[0].error), errors: r.differences.map((d) => d.error).join(','), epsilon: String(r.epsilon) }, class: worst > BAD_ERROR ? 'is-bad' : '' },
          el('th', { scope: 'row' }, String(r.epsilon)),
          el('td', {}, formatNumber(r.loss, 5), el('br'), formatNumber(r.derivative, 5)),
          ...r.differences.map((d) => el('td', {}, formatNumber(d.value, 5), el('br'), el('span', { class: d.error > BAD_ERROR ? 'fd-bad' : '' }, `(${formatNumber(d.error, 2)})`))),
        );
      }),
    );
  }

  const setupNote = () => `${formatNumber(trainSize.value())} training and ${formatNumber(valSize.value())} validation images (disjoint, both from the MNIST training set), batch ${batch.value()}, T = ${T()} steps from the same initialisation with the same minibatches: F is a deterministic function of ε.`;

  root.append(
    el('div', { class: 'lesson-controls' }, trainSize.node, valSize.node, budget.node, batch.node),
    el('p', { class: 'lesson-note', testid: 'lr-setup' }, setupNote()),
    el(
      'div',
      { class: 'lesson-grid-2' },
      method('(a) Grid search', [el('span', { class: 'lesson-method' }, `ε from ${GRID.epsilon_min} to ${GRID.epsilon_max}, ${GRID.points} points spaced evenly in log ε`), gridRunner.node()], gridCard, gridFigs, gridStatus),
      method('(b) Gradient descent on ε', [eps0.node, eta.node, iterations.node, hyperRunner.node()], hyperCard, hyperFigs, hyperStatus),
    ),
    el('div', { class: 'formula-row lesson-formulas-center' }, tex(TEX.tangent, { display: true }), tex(TEX.online, { display: true })),
    el(
      'div',
      { class: 'lesson-grid-2' },
      method('(c) Online hypergradient descent', [onlineEps0.node, beta.node, onlineRunner.node()], onlineCard, onlineFigs, onlineStatus),
      el('div', { class: 'card lesson-side' }, el('h3', {}, 'What each costs, and where they agree'), el('div', { class: 'table-card' }, costTable), agreement),
    ),
    el('h3', { class: 'lesson-sub' }, 'When the hypergradient stops meaning anything'),
    el(
      'p',
      { class: 'lesson-text' },
      'dF/dε is exact here — but it is the derivative of one particular unrolled run. The tangent u_T is a product of T factors (I − εH_t); once ε is large the run becomes chaotic: u_T explodes, F(ε) turns jagged, and the derivative says nothing about F at the next finite step. ',
      'Below, the exact derivative is compared with central differences (F(ε + h) − F(ε − h))/2h of F itself, with two steps h. They agree to many digits for small ε; from about ε = 0.3–0.5 (for T = 200, depending on the data) they part ways. ',
      'Once F(ε) is jagged the finite difference depends on its own step as well, so the two columns disagree with each other: there is no reference left to compare with, and the derivative of F stops describing F. ',
      'A hypergradient run started at ε₀ = 1 takes the largest step allowed (the clip, ±1 in log ε) every time and bounces back and forth without settling (which way depends on the last bits of the arithmetic: the run is chaotic). A longer horizon T makes the disagreement at a given ε larger, and smaller (noisier) batches make it start at a smaller ε.',
    ),
    el('div', { class: 'lesson-controls' }, checkButton, checkStatus.node),
    el('div', { class: 'card table-card' }, checkTable),
  );

  /** A method's card: title, its controls, its chart, figures and status. */
  function method(title, controls, card, figs, status) {
    return el('div', { class: 'card method' }, el('h3', {}, title), el('div', { class: 'lesson-controls' }, ...controls), card.box, card.caption, figures(...Object.values(figs)), status.node);
  }

  function gridBestOr(x) {
    return grid.best ? grid.best.epsilon : x;
  }

  const render = onFrame(() => {
    // (a)
    const res = grid.results;
    const finite = res.filter((r) => Number.isFinite(r.validation_loss));
    const diverged = res.filter((r) => !Number.isFinite(r.validation_loss)).map((r) => formatNumber(r.epsilon, 3));
    charts.grid?.update([finite.map((r) => r.epsilon), finite.map((r) => r.validation_loss), finite.map((r) => (r === grid.best ? r.validation_loss : null))]);
    gridCard.empty.hidden = res.length > 0;
    gridFigs.best.set(grid.best ? grid.best.epsilon : NaN);
    gridFigs.loss.set(grid.best ? grid.best.validation_loss : NaN);
    gridFigs.cost.set(grid.steps, grid.steps.toLocaleString('en-US'));
    setValue(gridCard.caption, `${res.length} of ${GRID.points} points done${diverged.length ? `; diverged (no point): ε = ${diverged.join(', ')}` : ''}. Each point costs T = ${T()} SGD steps and one validation pass.`);
    // (b)
    const h = hyper.records;
    const last = h[h.length - 1];
    const ref = gridBestOr(null);
    charts.hyper?.update([h.map((r) => r.iteration), h.map((r) => r.epsilon), h.map(() => ref), h.map((r) => r.validation_loss ?? null)]);
    hyperCard.empty.hidden = h.length > 0;
    hyperFigs.eps.set(last ? last.epsilon : NaN);
    hyperFigs.loss.set(last && last.validation_loss !== null ? last.validation_loss : NaN);
    hyperFigs.deriv.set(last && last.derivative !== null ? last.derivative : NaN);
    hyperFigs.cost.set(hyper.steps, hyper.steps.toLocaleString('en-US'));
    hyperFigs.hvp.set(last ? last.cost.hessian_vector_products : 0, (last ? last.cost.hessian_vector_products : 0).toLocaleString('en-US'));
    setValue(hyperCard.caption, `Each hyper-iteration: one SGD run of T = ${T()} steps carrying u = dθ/dε, then log ε ← log ε − η·ε·dF/dε (clipped to ±1). Grey: the grid’s best ε${ref ? '' : ' (run the grid)'}.`);
    // (c)
    charts.online?.update([online.x, online.eps, online.x.map(() => ref), online.loss]);
    onlineCard.empty.hidden = online.x.length > 0;
    const os = online.summary;
    onlineFigs.eps.set(os ? os.epsilon : NaN);
    onlineFigs.loss.set(os && os.validation_loss !== null ? os.validation_loss : NaN);
    onlineFigs.cost.set(os ? os.cost.sgd_steps : 0, (os ? os.cost.sgd_steps : 0).toLocaleString('en-US'));
    setValue(onlineCard.caption, `One run of T = ${T()} steps; before each update ε moves by β·g_tᵀg_{t−1} (up while consecutive gradients agree, down when they oppose). F is measured once, at the end.`);
    renderCosts();
  });

  function renderCosts() {
    const rows = [];
    const g = grid.best;
    const gc = grid.results.length ? grid.results[grid.results.length - 1].cost : null;
    rows.push(['(a) grid search', gc, g ? g.epsilon : NaN, g ? g.validation_loss : NaN]);
    const h = hyper.records;
    const best = h.filter((r) => r.validation_loss !== null).reduce((a, b) => (!a || b.validation_loss < a.validation_loss ? b : a), null);
    const last = h[h.length - 1];
    rows.push(['(b) hypergradient', last ? last.cost : null, last ? last.epsilon : NaN, last && last.validation_loss !== null ? last.validation_loss : NaN]);
    const os = online.summary;
    rows.push(['(c) online', os ? os.cost : null, os && os.done ? os.epsilon : NaN, os && os.validation_loss !== null ? os.validation_loss : NaN]);
    costBody.replaceChildren(
      ...rows.map(([name, cost, eps, f]) => el(
        'tr',
        {},
        el('th', { scope: 'row' }, name),
        ...(cost ? [cost.sgd_steps, cost.hessian_vector_products, cost.validation_passes].map((v) => el('td', {}, v.toLocaleString('en-US'))) : [el('td', {}, '–'), el('td', {}, '–'), el('td', {}, '–')]),
        el('td', {}, formatNumber(eps, 3)),
        el('td', {}, formatNumber(f, 4)),
      )),
    );
    // Agreement: is the hypergradient's ε between the grid's neighbours of its best point?
    const parts = [];
    let state = '';
    if (g && last && last.validation_loss !== null) {
      const i = grid.results.indexOf(g);
      const lo = grid.results[i - 1]?.epsilon ?? 0;
      const hi = grid.results[i + 1]?.epsilon ?? Infinity;
      const inside = last.epsilon > lo && last.epsilon < hi;
      state = inside ? 'agree' : 'differ';
      parts.push(`Grid: best ε = ${formatNumber(g.epsilon, 3)} (F = ${formatNumber(g.validation_loss, 4)}). Hypergradient after ${h.length} iterations: ε = ${formatNumber(last.epsilon, 3)} (F = ${formatNumber(last.validation_loss, 4)}) — ${inside ? `between the grid’s neighbours ${formatNumber(lo, 3)} and ${formatNumber(hi, 3)}: they agree to within the grid’s resolution, and the hypergradient’s F is ${last.validation_loss <= g.validation_loss ? 'no worse' : 'slightly worse'}.` : 'outside the grid’s best interval: they disagree (a chaotic start, or too few iterations).'}`);
      if (best && best !== last && !inside) parts.push(` Its best run so far: ε = ${formatNumber(best.epsilon, 3)}.`);
    }
    if (os && os.done && Number.isFinite(os.validation_loss)) {
      parts.push(` Online: one run whose ε ends at ${formatNumber(os.epsilon, 3)} with F = ${formatNumber(os.validation_loss, 4)} for the cost of a single run — it follows the minibatch loss as it goes, not F, so its ε is not the best fixed ε.`);
    }
    setValue(agreement, parts.join(''), state);
  }

  whenNear(root, () => {
    charts.grid = createLineChart(gridCard.box, {
      x: { label: 'ε (log scale)', log: true },
      y: [{ label: 'F (nats, log scale)', log: true }],
      series: [
        { label: 'F(ε)', stroke: PALETTE.log, width: 2, points: true },
        { label: 'best', stroke: PALETTE.n1, width: 0, points: true },
      ],
    });
    charts.hyper = createLineChart(hyperCard.box, {
      x: { label: 'hyper-iteration', integer: true },
      y: [{ label: 'ε (log scale)', log: true }, { scale: 'F', label: 'F(ε) (nats, log)', log: true, color: PALETTE.mse }],
      series: [
        { label: 'ε', stroke: PALETTE.log, width: 2.5, points: true },
        { label: 'grid’s best ε', stroke: PALETTE.ref, width: 1.5, dash: [5, 4] },
        { label: 'F(ε)', stroke: PALETTE.mse, scale: 'F', width: 1.5, points: true },
      ],
    });
    charts.online = createLineChart(onlineCard.box, {
      x: { label: 'SGD step' },
      y: [{ label: 'ε (log scale)', log: true }, { scale: 'loss', label: 'minibatch loss (nats)', color: PALETTE.mse }],
      series: [
        { label: 'ε', stroke: PALETTE.log, width: 2.5 },
        { label: 'grid’s best ε', stroke: PALETTE.ref, width: 1.5, dash: [5, 4] },
        { label: 'minibatch loss', stroke: 'rgba(194, 65, 12, 0.45)', scale: 'loss', width: 1 },
      ],
    });
    render();
  });
  // Disabled until the experiments' data is there (at once if it already is: a body built late).
  checkButton.disabled = true;
  client.onData(() => {
    check.rows = [];
    renderCheck();
    checkButton.disabled = !client.ready;
  });
  budget.input.addEventListener('change', () => {
    check.rows = [];
    renderCheck();
  });
  for (const f of [trainSize.input, valSize.input, budget.input, batch.input]) f.addEventListener('change', () => setValue(root.querySelector('[data-testid="lr-setup"]'), setupNote()));

  Promise.all([client.call('defaults', { kind: 'hypergradient' }), client.call('defaults', { kind: 'online' })]).then(([h, o]) => {
    const s = h.setup;
    fillDefaults([[trainSize, s.train_size], [valSize, s.validation_size], [budget, s.budget], [batch, s.batch_size], [eps0, h.epsilon0], [eta, h.hyper_lr], [onlineEps0, o.epsilon0], [beta, o.beta]]);
  });
}
