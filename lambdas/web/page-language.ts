// Which language a page is in, from the request alone: `?lang=` when it names one, else the choice
// the `lang` cookie remembers, else the browser's first language. The page layer (page-http.ts)
// and the local server's over-the-limit page (local/api-server.ts) choose alike; WAF's rules
// mirror it (lib/firewall.ts). No logger, no SDK: the local server loads it as it is.
import { chooseLanguage, isLanguage, type Language } from '../domain/shared/language';

export const LANGUAGE_COOKIE = 'lang';

/** A cookie's value from a Cookie header. */
export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** The language asked for by `?lang=` (a language, or nothing), what the cookie remembers, and the page's language from them. */
export function pageLanguage(request: { readonly lang?: string | null; readonly cookie?: string; readonly acceptLanguage?: string }): { asked?: Language; remembered?: string; language: Language } {
  const lang = request.lang?.trim().toLowerCase();
  const asked = isLanguage(lang) ? lang : undefined;
  const remembered = cookieValue(request.cookie, LANGUAGE_COOKIE);
  return { asked, remembered, language: chooseLanguage(asked ?? remembered, request.acceptLanguage, 'en') };
}
