// Helpers that drive code-server's web workbench the way a person does (palette, input boxes,
// quick picks, tree rows, hovers, notifications) and read back what the page shows. Used by the
// UI tier: scripts/run-ui-smoke.mjs and scripts/ui-journey.mjs.
/* global document -- the functions passed to page.evaluate and waitForFunction run in the page */
import path from 'node:path';
import { repoRoot } from './codeServer.mjs';

export const resultsDir = path.join(repoRoot, 'test-results');

const squash = (text) => text.replace(/\s+/g, ' ').trim();
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Runs a command from the palette by its title, as typed after F1. The palette sorts matches
 * alphabetically, not by how well they match, so the row with exactly this title is clicked.
 */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  const exact = new RegExp(`^${escapeRegExp(title)}$`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { has: page.locator('.label-name', { hasText: exact }) }).first();
  await row.waitFor({ state: 'visible', timeout: 10_000 });
  await row.click();
  // The palette is gone once the widget hides, or once the command reuses it for its own input box.
  await page.waitForFunction(
    () => {
      const widget = document.querySelector('.quick-input-widget');
      const value = widget?.querySelector('.quick-input-box input')?.value ?? '';
      return !widget || widget.offsetParent === null || !value.startsWith('>');
    },
    undefined,
    { polling: 50 },
  );
}

/** The visible quick input (input box or quick pick). */
const quickInput = (page) => page.locator('.quick-input-widget:visible');

/**
 * Waits for the input box whose prompt (the text under the box) matches `prompt`, replaces its
 * text with `text` by typing, and, unless `submit: false`, presses Enter and waits for the box
 * to move on. Returns the prompt it answered.
 */
export async function answerInput(page, { prompt, text, submit = true }) {
  const widget = quickInput(page);
  const message = widget.locator('.quick-input-message');
  try {
    await message.filter({ hasText: prompt }).waitFor({ state: 'visible' });
  } catch (error) {
    const now = await page.locator('.quick-input-widget').evaluateAll((ws) => ws.map((w) => `[${w.style.display}] ${w.textContent}`));
    throw new Error(`no input box asks ${prompt} (quick input now: ${now.join(' | ') || 'none'}): ${error.message.split('\n')[0]}`);
  }
  const shown = squash(await message.innerText()).replace(/ \(Press 'Enter' to confirm or 'Escape' to cancel\)$/, '');
  const input = widget.locator('.quick-input-box input');
  // The box fills in its initial value just after it appears: type only once it has focus.
  await page.waitForFunction((el) => el === document.activeElement, await input.elementHandle(), { polling: 50 });
  for (let attempt = 0; (await input.inputValue()) !== text; attempt++) {
    if (attempt === 3) throw new Error(`could not type into the "${shown}" box`);
    await input.press('ControlOrMeta+a');
    if (text === '') await input.press('Backspace');
    else await page.keyboard.type(text);
  }
  if (submit) await submitInput(page, prompt);
  return shown;
}

/** Presses Enter in the input box showing `prompt` until that prompt is gone (a keypress may land mid-update). */
export async function submitInput(page, prompt) {
  const widget = quickInput(page);
  const gone = () =>
    page.waitForFunction(
      ({ source, flags }) => {
        const re = new RegExp(source, flags);
        const widget = [...document.querySelectorAll('.quick-input-widget')].find((w) => w.offsetParent !== null);
        const message = widget?.querySelector('.quick-input-message')?.textContent ?? '';
        return !widget || !re.test(message);
      },
      toSource(prompt),
      { polling: 100, timeout: 3000 },
    );
  for (let attempt = 1; ; attempt++) {
    await widget.locator('.quick-input-box input').press('Enter');
    try {
      await gone();
      return;
    } catch (error) {
      const problem = await widget.locator('.quick-input-message').innerText().catch(() => '');
      if (attempt === 3) throw new Error(`Enter did not take the answer: ${squash(problem)} (${error.message.split('\n')[0]})`);
    }
  }
}

/** In the quick pick whose placeholder matches `placeholder`, types `filter` and picks the row matching `label`. */
export async function pickItem(page, { placeholder, filter, label }) {
  const widget = quickInput(page);
  const input = widget.locator('.quick-input-box input');
  await page.waitForFunction(
    ({ source, flags }) => {
      const widget = [...document.querySelectorAll('.quick-input-widget')].find((w) => w.offsetParent !== null);
      return new RegExp(source, flags).test(widget?.querySelector('.quick-input-box input')?.getAttribute('placeholder') ?? '');
    },
    toSource(placeholder),
    { polling: 100 },
  );
  if (filter) await page.keyboard.type(filter);
  const row = widget.locator('.monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible' });
  // The matching row must be the focused one before Enter takes it.
  await page.waitForFunction(
    ({ source, flags }) => {
      const focused = document.querySelector('.quick-input-widget .monaco-list-row.focused');
      return new RegExp(source, flags).test(focused?.textContent ?? '');
    },
    toSource(label),
    { polling: 100 },
  );
  await input.press('Enter');
}

function toSource(pattern) {
  const re = pattern instanceof RegExp ? pattern : new RegExp(escapeRegExp(pattern));
  return { source: re.source, flags: re.flags };
}

/** The pane of a view in the sidebar, found by its exact title. */
export function viewPane(page, title) {
  const exactTitle = new RegExp(`^${escapeRegExp(title)}$`, 'i');
  return page.locator('.part.sidebar .pane', { has: page.locator('.pane-header .title', { hasText: exactTitle }) });
}

/** The row of a tree in `pane` whose label is exactly `label`. */
export function treeRow(pane, label) {
  const exact = new RegExp(`^${escapeRegExp(label)}$`);
  return pane.locator('.monaco-list-row', { has: pane.page().locator('.label-name', { hasText: exact }) }).first();
}

/** Each visible row of the tree in `pane`: label, description, depth and whether it is expanded. */
export async function treeRows(pane) {
  return pane.locator('.monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => ({
      label: (row.querySelector('.label-name')?.textContent ?? '').trim(),
      description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
      level: Number(row.getAttribute('aria-level') ?? 0),
      expanded: row.getAttribute('aria-expanded'),
    })),
  );
}

/** Clicks a collapsed tree row open and waits until it is expanded. */
export async function expandRow(pane, label) {
  const row = treeRow(pane, label);
  await row.waitFor({ state: 'visible' });
  if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  await pane.page().waitForFunction((el) => el.getAttribute('aria-expanded') === 'true', await row.elementHandle());
}

/** Hovers `row` with the mouse and returns the text of the hover that appears. */
export async function hoverText(page, row) {
  await clearHover(page);
  const box = await row.locator('.label-name').boundingBox();
  if (!box) throw new Error('the row to hover is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  const hover = page.locator('.workbench-hover, .monaco-hover').filter({ visible: true }).first();
  await hover.waitFor({ state: 'visible' });
  return squash(await hover.innerText());
}

/** Drags the sash at the sidebar's right edge until the sidebar is `width` pixels wide. */
export async function resizeSidebar(page, width) {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box) throw new Error('the sidebar is not shown');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width - 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 8 });
  await page.mouse.up();
  const now = await sidebar.boundingBox();
  if (Math.abs((now?.width ?? 0) - width) > 8) throw new Error(`the sidebar is ${now?.width} px wide after dragging its edge, not ${width}`);
}

/** Drags the top edge of the pane titled `title` (the sash above its header) up or down to `y`. */
export async function movePaneTop(page, title, y) {
  const header = viewPane(page, title).locator('.pane-header');
  const box = await header.boundingBox();
  if (!box) throw new Error(`the ${title} pane is not shown`);
  await page.mouse.move(box.x + box.width / 2, box.y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, y, { steps: 8 });
  await page.mouse.up();
  const now = await header.boundingBox();
  if (Math.abs((now?.y ?? 0) - y) > 8) throw new Error(`the ${title} pane starts at y=${now?.y} after dragging its edge, not ${y}`);
}

/** Moves the mouse to an empty spot so no hover is left on screen. */
export async function clearHover(page) {
  await page.mouse.move(900, 500, { steps: 3 });
  await page.locator('.workbench-hover, .monaco-hover').filter({ visible: true }).first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => page.keyboard.press('Escape'));
}

/** Texts of the error notifications currently shown (toasts and the notification center). */
export async function errorNotifications(page) {
  return notifications(page, 'error');
}

/** Texts of the notifications shown now, of one severity (`error`, `warning`, `info`) or all. */
export async function notifications(page, severity) {
  const items = severity
    ? page.locator('.notification-list-item', { has: page.locator(`.codicon-${severity}`) })
    : page.locator('.notification-list-item');
  return (await items.allInnerTexts()).map(squash);
}

/** Waits for a notification toast whose text matches `pattern`; returns its text. */
export async function waitForNotification(page, pattern, { severity, timeout = 30_000 } = {}) {
  const toast = page.locator('.notification-toast .notification-list-item', {
    hasText: pattern,
    ...(severity ? { has: page.locator(`.codicon-${severity}`) } : {}),
  });
  await toast.first().waitFor({ state: 'visible', timeout });
  await settled(toast.first());
  return squash(await toast.first().innerText());
}

/** Waits until `locator` stops moving (a toast slides in), so a screenshot shows it in place. */
async function settled(locator) {
  let last;
  for (let i = 0; i < 40; i++) {
    const box = await locator.boundingBox();
    const now = box && `${box.x},${box.y},${box.width},${box.height}`;
    if (now && now === last) return;
    last = now;
    await locator.page().waitForTimeout(50);
  }
}

/** Throws when a progress notification (one with a running progress bar) is still shown after `timeout`. */
export async function assertNoProgressLeft(page, timeout = 5000) {
  const busy = page.locator('.notification-toast .notification-list-item', { has: page.locator('.monaco-progress-container.active') });
  try {
    await busy.first().waitFor({ state: 'detached', timeout });
  } catch {
    const texts = (await busy.allInnerTexts()).map(squash);
    if (texts.length > 0) throw new Error(`a progress notification is still shown ${timeout / 1000} s after the command finished: ${texts.join(' | ')}`);
  }
}

/** Closes every notification toast, as a person would with "Clear All Notifications". */
export async function clearNotifications(page) {
  if ((await page.locator('.notification-toast').count()) === 0) return;
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page.locator('.notification-toast').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => {});
}

/**
 * Everything the page can show as text: rendered text (also of hidden notifications and hovers),
 * and the titles, aria labels and placeholders that appear as tooltips or are read aloud. The
 * values typed into input boxes are left out: they are what the person typed.
 */
export async function pageText(page) {
  return page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[title], [aria-label], [placeholder], [aria-description]')].flatMap((el) =>
      ['title', 'aria-label', 'placeholder', 'aria-description'].map((name) => el.getAttribute(name) ?? ''),
    );
    return [document.body.textContent ?? '', ...attributes].join('\n');
  });
}

/** Throws when any of `secrets` (named values) is somewhere in the page's text. */
export async function assertNoSecretShown(page, secrets, when) {
  const text = await pageText(page);
  if (!text.includes('DuckDB Secrets')) throw new Error(`${when}: could not read the page's text`);
  const shown = Object.entries(secrets).filter(([, value]) => text.includes(value));
  if (shown.length > 0) throw new Error(`${when}: the page shows the ${shown.map(([name]) => name).join(', ')}`);
}

/** Waits until start-up activation and progress indicators are done, so pictures are stable. */
export async function waitForQuiet(page, timeout = 30_000) {
  await page.waitForFunction(
    () => {
      const visible = (element) => element.offsetParent !== null;
      const statusbar = document.querySelector('.part.statusbar')?.textContent ?? '';
      const busyProgress = [...document.querySelectorAll('.monaco-progress-container.active')].some(visible);
      const busyBadge = [...document.querySelectorAll('.part.activitybar .progress-badge')].some(visible);
      return !statusbar.includes('Activating Extensions') && !busyProgress && !busyBadge;
    },
    undefined,
    { timeout, polling: 250 },
  );
}

export async function screenshot(page, name) {
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file });
  return path.relative(repoRoot, file);
}
