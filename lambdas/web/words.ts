// The pages' words, in English and Welsh, from the content catalogue (catalogue/pages/*.json):
// no citizen-facing sentence is written in code.
import en from '../../catalogue/pages/en.json';
import cy from '../../catalogue/pages/cy.json';
import type { Language } from '../domain/shared/language';

export type PageWords = typeof en;

export const WORDS: Record<Language, PageWords> = { en, cy };

/** Fills {placeholders}; {Label} is the value of {label} with a capital first letter. */
export function say(template: string, values: Readonly<Record<string, string | number | undefined>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    // only the values given: a {placeholder} named like one of Object's methods is left as it is
    const value = (name: string) => (Object.hasOwn(values, name) ? values[name] : undefined);
    const exact = value(key);
    if (exact !== undefined) return String(exact);
    const lower = value(key.charAt(0).toLowerCase() + key.slice(1));
    if (lower !== undefined && key.charAt(0) !== key.charAt(0).toLowerCase()) return capitalise(String(lower));
    return whole;
  });
}

export const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
