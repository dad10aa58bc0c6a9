// One section alone (?only=<id>) and the embed view (?embed=<id>, www/view.js): the embed view works
// inside an <iframe> on a page of a second local origin (a tiny server started here), while the full
// page refuses to be framed (scripts/serve.mjs: frame-ancestors 'none' for everything but the embed
// view). Both views pass the axe scan of a11y.spec.js's rules.
import { createServer } from 'node:http';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, byId, waitNum } from './support/lab.js';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa', 'best-practice'];
const ORDER = ['sigmoid', 'logistic', 'attenuation', 'softmax', 'train', 'step-view', 'draw', 'learned', 'ex-l2', 'ex-positive', 'ex-lr'];

/** A course page on another origin: /course-<name> frames `src` of the lab. */
let course;
let courseOrigin;
test.beforeAll(async ({ baseURL }) => {
  course = createServer((req, res) => {
    const src = req.url === '/course-embed' ? `${baseURL}/?embed=sigmoid` : `${baseURL}/`;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Course page</title><h1>Class 5</h1><iframe src="${src}" width="900" height="700" title="softmax-lab"></iframe>`);
  });
  await new Promise((ok) => {
    course.listen(0, '127.0.0.1', ok);
  });
  courseOrigin = `http://127.0.0.1:${course.address().port}`;
});
test.afterAll(() => new Promise((ok) => {
  course.close(ok);
}));

/** The requests of the course page itself are not the lab's; the fixture would call them leaving its origin. */
const COURSE = String.raw`request leaves the origin: http://127\.0\.0\.1:\d+/course-`;

async function axe(page) {
  const r = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return r.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('?only= shows one section alone, the table of contents lists only it', async ({ page }) => {
  await page.goto('/?only=attenuation');
  await expect(page.locator('main > section.section')).toHaveCount(1);
  await expect(page.locator('#attenuation')).toBeVisible();
  await expect(page.locator('#toc-list a')).toHaveText(['3 Attenuation', 'Data & credits']);
  await expect(page.locator('.site-header')).toBeVisible();
  await expect(byId(page, 'notices')).not.toContainText('could not');
  await expect(byId(page, 'atten-step-count')).toBeVisible();
  expect(await axe(page)).toEqual([]);
});

test('a view naming no section says so and shows the whole lab', async ({ page }) => {
  await page.goto('/?only=nothing-here');
  await expect(byId(page, 'notice-view')).toContainText('only=“nothing-here” is not a section of the lab');
  await expect(page.locator('main > section.section')).toHaveCount(ORDER.length);
});

test('the embed view alone: one section, no site header or footer, a link to the full lab', async ({ page }) => {
  const response = await page.goto('/?embed=sigmoid');
  expect(response.headers()['content-security-policy']).toMatch(/; frame-ancestors \*$/);
  await expect(page.locator('main > section.section')).toHaveCount(1);
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.site-footer')).toBeHidden();
  const full = byId(page, 'embed-full');
  await expect(full).toHaveAttribute('target', '_blank');
  await expect(full).toHaveAttribute('rel', 'noopener');
  expect(new URL(await full.getAttribute('href')).hash).toBe('#sigmoid');
  await waitNum(page, 'sigmoid-value', (v) => v > 0 && v < 1);
  expect(await axe(page)).toEqual([]);
});

test('every page but the embed view is sent with frame-ancestors none, the rest of the policy the same', async ({ request }) => {
  const full = (await request.get('/')).headers()['content-security-policy'];
  const embed = (await request.get('/?embed=sigmoid')).headers()['content-security-policy'];
  const only = (await request.get('/index.html?only=sigmoid')).headers()['content-security-policy'];
  // A worker's entry script carries the policy (a worker's comes from its own response), and the
  // query frees only the page; a module runs under the policy of what loads it and carries none.
  const worker = (await request.get('/www/worker.js?embed=sigmoid')).headers()['content-security-policy'];
  const js = (await request.get('/www/main.js')).headers()['content-security-policy'];
  expect(full).toMatch(/; frame-ancestors 'none'$/);
  expect(only).toBe(full);
  expect(worker).toBe(full);
  expect(js).toBeUndefined();
  expect(embed.replace(/frame-ancestors .*$/, '')).toBe(full.replace(/frame-ancestors .*$/, ''));
});

test.describe('framed by a course page of another origin', () => {
  test.use({ allowProblems: new RegExp(`^${COURSE}embed$`) });
  test('the embed view works inside the iframe: σ follows its slider', async ({ page }) => {
    await page.goto(`${courseOrigin}/course-embed`);
    const frame = page.frameLocator('iframe');
    await expect(frame.locator('main > section.section')).toHaveCount(1);
    await expect(frame.locator('#sigmoid')).toBeVisible();
    await expect(frame.locator('.site-header')).toBeHidden();
    const value = frame.getByTestId('sigmoid-value');
    await expect.poll(async () => Number(await value.getAttribute('data-value'))).toBeGreaterThan(0);
    const before = Number(await value.getAttribute('data-value'));
    await frame.getByTestId('sigmoid-slider').focus();
    for (let i = 0; i < 50; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(async () => Number(await value.getAttribute('data-value'))).toBeGreaterThan(before);
    await expect(frame.getByTestId('embed-full')).toBeVisible();
  });
});

test.describe('the full page framed', () => {
  test.use({ allowProblems: new RegExp(`^${COURSE}full$|Refused to frame|frame-ancestors|ERR_BLOCKED_BY_RESPONSE`) });
  test('is refused: the frame never shows the lab', async ({ page, problems, baseURL }) => {
    await page.goto(`${courseOrigin}/course-full`);
    await expect.poll(() => problems.some((p) => /frame-ancestors|Refused to frame|ERR_BLOCKED_BY_RESPONSE/.test(p)), { message: 'the browser reports the refusal' }).toBe(true);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    expect(frame, 'the iframe exists').toBeTruthy();
    expect(frame.url(), 'the frame is an error page, not the lab').not.toContain(baseURL);
    expect(await frame.locator('#sections').count()).toBe(0);
  });
});

test('an instructor link presets and hides a lecture section\'s controls, and Link to this section rebuilds it', async ({ page, context }) => {
  await page.goto('/?only=attenuation&atten-badness=4&atten-lr=0.5&atten-negative=3&hide=atten-steps,atten-speed');
  await expect(byId(page, 'atten-badness')).toHaveValue('4');
  await expect(byId(page, 'atten-lr')).toHaveValue('0.5');
  await expect(byId(page, 'atten-negative')).toHaveValue('3');
  await expect(byId(page, 'atten-steps')).toBeHidden();
  await expect(byId(page, 'atten-speed')).toBeHidden();
  await expect(byId(page, 'atten-play')).toBeVisible();
  await expect(byId(page, 'notice-link')).toContainText('Opened a lesson\'s link: 3 settings of the section preset, 2 controls hidden.');
  // The run's settings leave the address; the view and what it hides stay.
  await expect.poll(() => new URL(page.url()).search).toBe('?only=attenuation&hide=atten-steps%2Catten-speed');
  await byId(page, 'atten-lr').fill('0.25');
  await byId(page, 'attenuation-link-build').click();
  const href = await byId(page, 'attenuation-section-link').getAttribute('href');
  const q = new URL(href).searchParams;
  expect(q.get('atten-badness')).toBe('4');
  expect(q.get('atten-lr')).toBe('0.25');
  expect(q.get('hide')).toBe('atten-steps,atten-speed');
  expect(q.get('only')).toBe('attenuation');
  const other = await context.newPage();
  await other.goto(href);
  await expect(byId(other, 'atten-lr')).toHaveValue('0.25');
  await expect(byId(other, 'atten-steps')).toBeHidden();
  await expect(other.locator('main > section.section')).toHaveCount(1);
});

test('Train\'s link carries its model settings; what an instructor link cannot take is named', async ({ page }) => {
  await page.goto('/?only=train&lr=0.2&seed=7&hide=batch-size');
  await expect(byId(page, 'lr')).toHaveValue('0.2');
  await expect(byId(page, 'batch-size')).toBeHidden();
  await byId(page, 'train-link-build').click();
  const q = new URL(await byId(page, 'train-section-link').getAttribute('href')).searchParams;
  expect([q.get('lr'), q.get('seed'), q.get('dataset'), q.get('hide'), q.get('only')]).toEqual(['0.2', '7', 'mnist', 'batch-size', 'train']);
  await expect(byId(page, 'status')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 }); // the data loaded: nothing cut off below

  await page.goto('/?only=attenuation&atten-badness=abc&atten-lr=1e9&atten-nothing=3&atten-positive=12&hide=nope,atten-steps,Bad!');
  const notice = byId(page, 'notice-link');
  await expect(notice).toContainText('could not all be used');
  for (const part of [
    'atten-badness=abc is not a number from 0 to 50',
    'atten-lr=1e9 is not a number from 0.000001 to 100',
    'atten-nothing: no control shown here has that name',
    'atten-positive=12 is not one of its options',
    'hide: “nope” names no control shown here',
    '“Bad!” is not a control\'s name',
  ]) await expect(notice).toContainText(part);
  await expect(byId(page, 'atten-badness')).toHaveValue('8');
  await expect(byId(page, 'atten-steps')).toBeHidden();
});
