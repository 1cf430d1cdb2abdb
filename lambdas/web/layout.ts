// The frame of every page: the document, the service's name, the language switch, the error
// summary, the main content and the footer. Styles and script are files (no inline code), so the
// Content-Security-Policy can forbid inline script and style.
import type { Language } from '../domain/shared/language';
import { html, type Html } from './html';
import { assetPath } from './assets';
import { errorSummary, type FormError } from './components';
import { WORDS } from './words';

export interface PageContent {
  readonly language: Language;
  /** the page's own title (the h1's words); "Error: " is added when there are errors */
  readonly title: string;
  /** this page's path, without the language switch, for the link to the other language */
  readonly path: string;
  readonly main: Html;
  /** shown above the main content, linking to the fields at fault */
  readonly errors?: readonly FormError[];
  /** above the main content, e.g. a back link */
  readonly before?: Html;
  /**
   * The id of the page's form, on a page with answers not yet sent: the language switch submits
   * it (to `path`, with switchLanguage=1) so that nothing typed is lost, as a plain link would lose it.
   */
  readonly form?: string;
  /** another part of the site (the caseworker console): its own name, navigation and account, and no language switch */
  readonly frame?: Frame;
}

/** The header and width of a part of the site other than the citizens' pages. */
export interface Frame {
  readonly name: string;
  /** where the name links to */
  readonly home: string;
  /** under the header, e.g. the console's queues */
  readonly navigation?: Html;
  /** in the header, e.g. who is signed in and a sign-out button */
  readonly account?: Html;
  /** the whole width of the page, for tables */
  readonly wide?: boolean;
}

function languageSwitch(language: Language, path: string, form?: string): Html {
  const words = WORDS[language].languageSwitch;
  const other = words.otherLanguage as Language;
  const href = `${path}${path.includes('?') ? '&' : '?'}lang=${other}`;
  const toOther = form
    ? html`<button type="submit" form="${form}" formaction="${href}" formmethod="post" formnovalidate name="switchLanguage" value="1" class="govuk-link app-link-button app-language-switch__button" lang="${other}">${words.other}</button>`
    : html`<a class="govuk-language-navigation__link" href="${href}" rel="alternate" lang="${other}" hreflang="${other}">${words.other}</a>`;
  return html`<nav class="govuk-language-navigation app-language-switch" aria-label="${words.label}"><ul class="govuk-language-navigation__list"><li class="govuk-language-navigation__list-item"><span class="govuk-language-navigation__text" aria-current="true">${words.current}</span></li><li class="govuk-language-navigation__list-item">${toOther}</li></ul></nav>`;
}

export function layout(content: PageContent): string {
  const words = WORDS[content.language];
  const errors = content.errors ?? [];
  const frame = content.frame;
  const title = `${errors.length > 0 ? words.errorPrefix : ''}${content.title} – ${frame?.name ?? words.titleSuffix}`;
  return `<!DOCTYPE html>${html`<html lang="${content.language}" class="govuk-template"><head><meta charset="utf-8"><title>${title}</title><meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover"><meta name="theme-color" content="#0b0c0c"><meta name="robots" content="noindex, nofollow"><link rel="icon" href="${assetPath('favicon.svg')}" type="image/svg+xml"><link rel="stylesheet" href="${assetPath('styles.css')}"><script type="module" src="${assetPath('enhance.js')}"></script></head><body class="govuk-template__body"><a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">${words.skipLink}</a><header class="govuk-generic-header app-header"><div class="govuk-generic-header__container govuk-width-container app-header__container"><div class="govuk-generic-header__logo"><a href="${frame?.home ?? '/'}" class="govuk-generic-header__homepage-link">${frame?.name ?? words.siteName}</a></div>${frame?.account ?? html``}</div></header>${frame?.navigation ?? html``}<div class="govuk-width-container">${frame ? html`` : languageSwitch(content.language, content.path, content.form)}${content.before ?? html``}<main class="govuk-main-wrapper" id="main-content" tabindex="-1"><div class="govuk-grid-row"><div class="${frame?.wide ? 'govuk-grid-column-full' : 'govuk-grid-column-two-thirds'}">${errorSummary(words.errorSummaryTitle, errors)}${content.main}</div></div></main></div><footer class="govuk-footer"><div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow"><h2 class="govuk-visually-hidden">${words.footerLinks.heading}</h2><ul class="govuk-footer__inline-list">${(['accessibility', 'privacy', 'contact', 'performance'] as const).map(
    (page) => html`<li class="govuk-footer__inline-list-item"><a class="govuk-footer__link" href="/${page}">${words.footerLinks[page]}</a></li>`,
  )}</ul>${frame ? html`` : html`<p class="govuk-body-s">${words.footer}</p>`}</div></div></div></footer></body></html>`}`;
}
