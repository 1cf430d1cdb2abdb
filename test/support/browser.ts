// A real browser for the page tests: Debian's chromium driven by playwright-core (no browser
// download: there is no internet), one per test file, and the checks every page state gets:
// axe-core against WCAG 2.2 AA, reflow at 320 CSS px, and a visible focus at each keyboard stop.
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { eventually } from './platform';

// Code passed to page.evaluate runs in the page; the project's TypeScript has no DOM types.
declare const document: any;
declare const getComputedStyle: (element: any, pseudo?: string | null) => Record<string, string>;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** As root and offline: no sandbox, and nothing that would try to reach the internet. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-gpu'] as const;

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

/** The narrowest width WCAG 1.4.10 (Reflow) asks content to fit without scrolling sideways. */
export const REFLOW_WIDTH = 320;

/** A headless chromium with a fresh profile (playwright gives each launch a new temporary one). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}

/**
 * One browser for the test file: launched before its tests, closed after them. Call at the top
 * level of a test file; the getter gives the browser inside tests and hooks.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 30_000);
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  return () => {
    if (!browser) throw new Error('the browser is not running: call useBrowser() at the top level of the test file');
    return browser;
  };
}

/** An HTML document the browser received (redirects have no document and are not recorded). */
export interface ReceivedDocument {
  readonly url: string;
  readonly method: string;
  readonly status: number;
  readonly html: string;
}

export interface Session {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly javaScript: boolean;
  /** every URL the browser asked for, in order, redirects and assets included */
  readonly requests: string[];
  /** every HTML document the browser received, as the server sent it */
  documents(): Promise<ReceivedDocument[]>;
  close(): Promise<void>;
}

const javaScriptOf = new WeakMap<BrowserContext, boolean>();

/** A new context (its own cookies) and page, with JavaScript on or off, recording what it asks for and receives. */
export async function openSession(browser: Browser, options: { javaScript: boolean; viewport?: { width: number; height: number } }): Promise<Session> {
  const context = await browser.newContext({ javaScriptEnabled: options.javaScript, viewport: options.viewport ?? { width: 1024, height: 768 } });
  javaScriptOf.set(context, options.javaScript);
  const requests: string[] = [];
  const received: Promise<ReceivedDocument | undefined>[] = [];
  context.on('request', (request) => requests.push(request.url()));
  context.on('response', (response: Response) => {
    const request = response.request();
    if (request.resourceType() !== 'document' || (response.status() >= 300 && response.status() < 400)) return;
    received.push(
      response.text().then(
        (html) => ({ url: response.url(), method: request.method(), status: response.status(), html }),
        () => undefined, // the page went away before its body was read
      ),
    );
  });
  const page = await context.newPage();
  return {
    context,
    page,
    javaScript: options.javaScript,
    requests,
    documents: async () => (await Promise.all(received)).filter((doc): doc is ReceivedDocument => doc !== undefined),
    close: () => context.close(),
  };
}

/**
 * Waits for the page a user action leads to (following redirects) and returns its response,
 * e.g. `await arrive(page, () => page.click('button'))`.
 */
export async function arrive(page: Page, act: () => Promise<unknown>): Promise<Response> {
  const response = page.waitForResponse((r) => r.request().isNavigationRequest() && r.frame() === page.mainFrame() && (r.status() < 300 || r.status() >= 400), { timeout: 15_000 });
  // the new document's load: waiting for the load state instead could see the old document's
  const loaded = page.waitForEvent('load', { timeout: 15_000 });
  await act();
  const [arrived] = await Promise.all([response, loaded]);
  return arrived;
}

// --- Accessibility -------------------------------------------------------------------------------

interface Violation {
  readonly id: string;
  readonly impact?: string | null;
  readonly help: string;
  readonly helpUrl: string;
  readonly nodes: readonly { readonly target: unknown; readonly failureSummary?: string }[];
}

export function describeViolations(violations: readonly Violation[]): string {
  return violations
    .map((v) => `- ${v.id} (${v.impact ?? 'unknown impact'}): ${v.help}\n${v.nodes.map((node) => `    at ${JSON.stringify(node.target)}${node.failureSummary ? `\n      ${node.failureSummary.replace(/\n/g, '\n      ')}` : ''}`).join('\n')}\n    ${v.helpUrl}`)
    .join('\n');
}

// axe needs timers, which do not run in a page without JavaScript; such a page is checked as a copy
// in a context of its own that runs axe but not the page's own scripts, so it is the same DOM.
const auditContexts = new WeakMap<Browser, Promise<BrowserContext>>();

async function auditCopyOf(page: Page): Promise<Page> {
  const browser = page.context().browser();
  if (!browser) throw new Error('the page has no browser');
  let context = auditContexts.get(browser);
  if (!context) {
    context = browser.newContext({ javaScriptEnabled: true });
    auditContexts.set(browser, context);
  }
  const copy = await (await context).newPage();
  const viewport = page.viewportSize();
  if (viewport) await copy.setViewportSize(viewport);
  const html = await page.content();
  const url = page.url();
  await copy.route('**/*', (route) => {
    const request = route.request();
    if (request.isNavigationRequest() && request.url() === url.split('#')[0]) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    if (request.resourceType() === 'script') return route.abort(); // the page's own scripts stay off
    return route.continue();
  });
  await copy.goto(url, { waitUntil: 'load' });
  return copy;
}

/** Runs axe-core (WCAG 2.2 AA) on the page as it is now; fails listing every violation. */
export async function checkAccessibility(page: Page, label: string): Promise<void> {
  const javaScript = javaScriptOf.get(page.context()) ?? true;
  const target = javaScript ? page : await auditCopyOf(page);
  try {
    const results = await new AxeBuilder({ page: target }).withTags([...WCAG_TAGS]).analyze();
    if (results.violations.length > 0) {
      throw new Error(`Accessibility violations on ${label} (${page.url()}, JavaScript ${javaScript ? 'on' : 'off'}):\n${describeViolations(results.violations)}`);
    }
  } finally {
    if (target !== page) await target.close();
  }
}

// --- Reflow --------------------------------------------------------------------------------------

/** At 320 CSS px wide the page must not scroll sideways (WCAG 1.4.10); fails naming what sticks out. */
export async function checkReflow(page: Page, label = page.url()): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width: REFLOW_WIDTH, height: 640 });
  try {
    const measured = await page.evaluate((width: number) => {
      const root = document.documentElement;
      const wide: string[] = [];
      if (root.scrollWidth > width) {
        for (const element of document.body.querySelectorAll('*')) {
          const box = element.getBoundingClientRect();
          if (box.right > width + 0.5 && box.width > 0) {
            wide.push(`${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.classList.length ? `.${[...element.classList].join('.')}` : ''} (right edge ${Math.round(box.right)}px)`);
          }
        }
      }
      return { scrollWidth: root.scrollWidth, wide: wide.slice(0, 10) };
    }, REFLOW_WIDTH);
    if (measured.scrollWidth > REFLOW_WIDTH) {
      throw new Error(`${label} scrolls sideways at ${REFLOW_WIDTH} CSS px: it is ${measured.scrollWidth}px wide. Wider than the screen:\n  ${measured.wide.join('\n  ')}`);
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

// --- Keyboard ------------------------------------------------------------------------------------

/** What has the keyboard focus, for messages. */
export function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'nothing (the page body)';
    const text = (element.innerText ?? element.value ?? '').trim().slice(0, 40);
    return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.getAttribute('name') ? `[name=${element.getAttribute('name')}]` : ''}${text ? ` "${text}"` : ''}`;
  });
}

/**
 * Fails unless the focused element shows that it has the focus: its outline, box-shadow,
 * background, border, colour or underline (or those of its label's ::before/::after, where GOV.UK
 * draws radios' and checkboxes' focus) differ from the same element unfocused, and the difference
 * can be seen (not a transparent outline). GOV.UK's focus style is a yellow (#ffdd00) background
 * with a black bar below, or a yellow outline and black box-shadow.
 */
export async function checkVisibleFocus(page: Page): Promise<void> {
  const verdict = await page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body || element === document.documentElement) return { ok: false, what: 'nothing', changes: [] as string[] };
    const labels = element.labels ? [...element.labels] : [];
    const parts: [any, string | null][] = [];
    for (const target of [element, ...labels]) for (const pseudo of [null, '::before', '::after']) parts.push([target, pseudo]);
    const PROPERTIES = ['outline-style', 'outline-width', 'outline-color', 'box-shadow', 'background-color', 'border-top-color', 'border-bottom-color', 'border-bottom-width', 'color', 'text-decoration-line', 'text-decoration-thickness'];
    const snapshot = () =>
      parts.map(([target, pseudo]) => {
        const style = getComputedStyle(target, pseudo);
        return Object.fromEntries(PROPERTIES.map((property) => [property, (style as any).getPropertyValue(property)]));
      });
    const focused = snapshot();
    // GOV.UK Frontend gives an element it focuses (an error summary) tabindex="-1" and takes it
    // away on blur: put it back, so the element can have the focus again
    const tabindex = element.getAttribute('tabindex');
    element.blur();
    const unfocused = snapshot();
    if (tabindex !== null && element.getAttribute('tabindex') === null) element.setAttribute('tabindex', tabindex);
    element.focus({ preventScroll: true });
    const transparent = (colour: string) => colour === 'transparent' || /rgba\(.*,\s*0\)$/.test(colour);
    const changes: string[] = [];
    focused.forEach((style, i) => {
      const [target, pseudo] = parts[i];
      const where = `${target === element ? 'element' : 'label'}${pseudo ?? ''}`;
      for (const property of PROPERTIES) {
        const now = style[property];
        const was = unfocused[i][property];
        if (now === was) continue;
        // an outline that cannot be seen (GOV.UK adds a transparent one for forced-colours modes)
        if (property.startsWith('outline') && (style['outline-style'] === 'none' || transparent(style['outline-color']) || parseFloat(style['outline-width']) === 0)) continue;
        if ((property === 'box-shadow' && now === 'none') || (property.endsWith('color') && transparent(now))) continue;
        changes.push(`${where} ${property}: ${was} → ${now}`);
      }
    });
    return { ok: changes.length > 0, what: `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}`, changes };
  });
  if (!verdict.ok) throw new Error(`No visible focus indicator on ${verdict.what === 'nothing' ? 'anything: nothing has the focus' : verdict.what} at ${page.url()}`);
  if (!(await page.evaluate(() => document.activeElement && document.activeElement !== document.body))) throw new Error(`checking the focus on ${verdict.what} lost it at ${page.url()}`);
}

/**
 * Presses Tab (or Shift+Tab) until the focused element matches `selector`, checking the focus is
 * visible at every stop on the way. Fails after `maxStops` stops.
 */
export async function tabTo(page: Page, selector: string, options: { backwards?: boolean; maxStops?: number; checkFocus?: boolean } = {}): Promise<void> {
  const maxStops = options.maxStops ?? 40;
  const visited: string[] = [];
  for (let stop = 0; stop < maxStops; stop++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    visited.push(await focusedElement(page));
    if (options.checkFocus ?? true) await checkVisibleFocus(page);
    if (await page.evaluate((wanted: string) => Boolean(document.activeElement?.matches(wanted)), selector)) return;
  }
  throw new Error(`Tabbed ${maxStops} times without reaching ${selector}; focus went to:\n  ${visited.join('\n  ')}`);
}

/** Types into whatever has the focus, as a person would (clearing it first with Ctrl+A, Backspace). */
export async function typeText(page: Page, text: string, options: { clear?: boolean } = {}): Promise<void> {
  if (options.clear) {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
  }
  await page.keyboard.type(text);
}

/** Enter or Space on whatever has the focus. */
export const press = (page: Page, key: 'Enter' | 'Space'): Promise<void> => page.keyboard.press(key);

/** Whether the page's scripts run (the GOV.UK Frontend enhancements). */
export const scriptsRan = (page: Page): Promise<boolean> => page.evaluate(() => document.body.classList.contains('govuk-frontend-supported'));


// Reading a page, for the page tests.
export const text = (page: Page, selector: string) => page.locator(selector).first().innerText();
export const h1 = (page: Page) => text(page, 'h1');
export const pathOf = (page: Page) => new URL(page.url()).pathname;
export const focusIsOn = (page: Page, selector: string): Promise<boolean> => page.evaluate((wanted: string) => Boolean(document.activeElement?.matches(wanted)), selector);

/** The GOV.UK error pattern: status 400, "Error:" in the title, the summary linking to the field, the message at the field. */
export async function expectError(page: Page, session: Session, status: number, field: string, message: RegExp, welsh = false): Promise<void> {
  expect(status).toBe(400);
  expect(await page.title()).toMatch(welsh ? /^Gwall: / : /^Error: /);
  const summary = page.locator('.govuk-error-summary');
  expect(await summary.isVisible()).toBe(true);
  expect(await summary.locator('.govuk-error-summary__title').innerText()).toBe(welsh ? 'Mae problem wedi codi' : 'There is a problem');
  const links = summary.locator('.govuk-error-summary__list a');
  expect(await links.count()).toBeGreaterThan(0);
  const hrefs = await links.evaluateAll((anchors: any[]) => anchors.map((a) => a.getAttribute('href')));
  expect(hrefs.some((href: string) => href === `#${field}` || href.startsWith(`#${field}-`))).toBe(true);
  // every link in the summary goes to something on the page
  for (const href of hrefs) expect(await page.locator(href).count()).toBe(1);
  expect(await text(page, `#${field}-error`)).toMatch(message);
  if (session.javaScript) {
    // GOV.UK Frontend moves the focus to the summary, so a screen reader reads it first
    await eventually(() => focusIsOn(page, '.govuk-error-summary'), Boolean, 5_000, 'the error summary to take the focus');
    await checkVisibleFocus(page);
  }
}
