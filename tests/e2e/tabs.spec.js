// Two tabs never lose each other's work: each keeps its own session (a reload resumes that tab's,
// with its own settings), a tab opened while another is open starts fresh and says so, and a new
// tab after both are closed resumes the most recent one and offers the other.
import { savedAt, steps } from './support/hardening.js';
import { byId, expect, num, openLab, test } from './support/lab.js';

test('two tabs in one browser keep their own sessions across reloads; a new tab offers both', async ({ context }) => {
  const a = await context.newPage();
  await openLab(a);
  await byId(a, 'lr').fill('0.1');
  await byId(a, 'lr').press('Tab');
  await steps(a, 40);
  await savedAt(a, 40);

  // A second tab while the first is open: a fresh model, and the first tab's session is named.
  const b = await context.newPage();
  await openLab(b);
  expect(await num(b, 'step-count')).toBe(0);
  await expect(byId(b, 'lr')).toHaveValue('0.05');
  await expect(byId(b, 'notice-sessions')).toContainText('open in another tab');
  await steps(b, 5);
  await savedAt(b, 5);

  // Each reload comes back to its own tab's run and settings.
  await a.reload();
  await expect(byId(a, 'status')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  expect(await num(a, 'step-count')).toBe(40);
  await expect(byId(a, 'lr')).toHaveValue('0.1');
  await b.reload();
  await expect(byId(b, 'status')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  expect(await num(b, 'step-count')).toBe(5);
  await expect(byId(b, 'lr')).toHaveValue('0.05');
  // A reload saves again; let both settle before the tabs close.
  await savedAt(a, 40);
  await savedAt(b, 5);
  await a.close({ runBeforeUnload: true });
  await b.close({ runBeforeUnload: true });

  // A new tab once both are closed: the most recent session, and the other one offered.
  const c = await context.newPage();
  await c.goto('/');
  await expect(byId(c, 'status')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  const first = await num(c, 'step-count');
  expect([40, 5]).toContain(first);
  const other = first === 40 ? 5 : 40;
  await expect(byId(c, 'notice-sessions')).toBeVisible();
  await byId(c, 'open-session-0').click();
  await expect.poll(() => num(c, 'step-count'), { message: `the other session (step ${other}) opens` }).toBe(other);
  await expect(byId(c, 'lr')).toHaveValue(other === 40 ? '0.1' : '0.05');
  // The one it left is still saved: offered again after a reload of this tab... as another session.
  await c.reload();
  await expect(byId(c, 'status')).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  expect(await num(c, 'step-count')).toBe(other);
  await expect(byId(c, 'open-session-0')).toContainText(`step ${first}`);
});
