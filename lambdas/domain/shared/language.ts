// The languages citizens can read their status and messages in.
export const LANGUAGES = ['en', 'cy'] as const;
export type Language = (typeof LANGUAGES)[number];

export const isLanguage = (value: unknown): value is Language => LANGUAGES.includes(value as Language);

/**
 * The language to answer in: `?lang=` first, then the first supported language in
 * Accept-Language (by q-value), then the language the citizen chose when applying.
 */
export function chooseLanguage(query: string | undefined, acceptLanguage: string | undefined, fallback: Language = 'en'): Language {
  const asked = query?.trim().toLowerCase();
  if (isLanguage(asked)) return asked;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag, ...params] = part.trim().split(';');
        const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
        return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q.slice(2)) || 0 : 1, index };
      })
      .filter((entry) => entry.q > 0 && isLanguage(entry.lang))
      .sort((a, b) => b.q - a.q || a.index - b.index);
    if (ranked.length > 0) return ranked[0].lang as Language;
  }
  return fallback;
}
