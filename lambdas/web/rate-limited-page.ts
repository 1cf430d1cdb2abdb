// What a browser gets when its connection is over a rate limit (lambdas/http/rate-limits.ts): a
// page in the citizen's language, not the API's JSON. The local server renders it; the web ACLs in
// AWS send it as their custom response (lib/firewall.ts), so it is small (WAF takes 4 KB a body),
// plain and complete in itself, with only the site's own stylesheet.
import type { Language } from '../domain/shared/language';
import { html } from './html';
import { WORDS, say } from './words';

/** The page's HTML; `minutes` is how long to wait, as the 429's Retry-After says. */
export function rateLimitedPage(language: Language, minutes: number, stylesheet: string): string {
  const words = WORDS[language];
  return `<!DOCTYPE html>${html`<html lang="${language}" class="govuk-template"><head><meta charset="utf-8"><title>${words.tooMany.title}</title><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><link rel="stylesheet" href="${stylesheet}"></head><body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper" id="main-content"><h1 class="govuk-heading-l">${words.tooMany.title}</h1><p class="govuk-body">${say(words.tooMany.body, { minutes })}</p><p class="govuk-body"><a class="govuk-link" href="/contact">${words.footerLinks.contact}</a></p></main></div></body></html>`}`;
}
