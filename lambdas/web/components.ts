// GOV.UK Frontend components as small functions that write the markup its styles and scripts
// expect (https://design-system.service.gov.uk/components/). Only what the pages use; every
// value is escaped by the html template.
import { attributes, html, type Html, type Renderable } from './html';

/** A problem with one field of a form: `field` is the id of the input to go to. */
export interface FormError {
  readonly field: string;
  readonly message: string;
}

export function errorSummary(title: string, errors: readonly FormError[]): Html {
  if (errors.length === 0) return html``;
  return html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">${title}</h2><div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">${errors.map(
    (error) => html`<li><a href="#${error.field}">${error.message}</a></li>`,
  )}</ul></div></div></div>`;
}

const errorMessage = (id: string, message: string | undefined, prefix: string) =>
  message ? html`<p id="${id}-error" class="govuk-error-message"><span class="govuk-visually-hidden">${prefix}</span> ${message}</p>` : html``;

const describedBy = (id: string, hint: Renderable, error: string | undefined) => [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

interface FieldOptions {
  readonly id: string;
  readonly name?: string;
  readonly label: string;
  /** a page whose only question is this field shows its label as the page heading */
  readonly isPageHeading?: boolean;
  readonly hint?: Renderable;
  readonly error?: string;
  /** "Error:" in the page's language, read out before the message */
  readonly errorPrefix: string;
}

function label(options: FieldOptions): Html {
  const inner = html`<label class="govuk-label${options.isPageHeading ? ' govuk-label--l' : ''}" for="${options.id}">${options.label}</label>`;
  return options.isPageHeading ? html`<h1 class="govuk-label-wrapper">${inner}</h1>` : inner;
}

const hintOf = (id: string, hint: Renderable) => (hint ? html`<div id="${id}-hint" class="govuk-hint">${hint}</div>` : html``);

export function textInput(options: FieldOptions & { readonly value?: string; readonly autocomplete?: string; readonly inputmode?: string; readonly spellcheck?: boolean; readonly width?: string; readonly type?: string }): Html {
  return html`<div class="govuk-form-group${options.error ? ' govuk-form-group--error' : ''}">${label(options)}${hintOf(options.id, options.hint)}${errorMessage(options.id, options.error, options.errorPrefix)}<input${attributes({
    class: `govuk-input${options.width ? ` govuk-input--width-${options.width}` : ''}${options.error ? ' govuk-input--error' : ''}`,
    id: options.id,
    name: options.name ?? options.id,
    type: options.type ?? 'text',
    value: options.value ?? '',
    autocomplete: options.autocomplete,
    inputmode: options.inputmode,
    spellcheck: options.spellcheck === undefined ? undefined : String(options.spellcheck),
    'aria-describedby': describedBy(options.id, options.hint, options.error),
  })}></div>`;
}

export function textarea(options: FieldOptions & { readonly value?: string; readonly rows?: number; readonly maxLength?: number; readonly characterCountText?: string }): Html {
  const field = html`<div class="govuk-form-group${options.error ? ' govuk-form-group--error' : ''}${options.maxLength ? ' govuk-character-count' : ''}"${attributes(
    options.maxLength ? { 'data-module': 'govuk-character-count', 'data-maxlength': options.maxLength } : {},
  )}>${label(options)}${hintOf(options.id, options.hint)}${errorMessage(options.id, options.error, options.errorPrefix)}<textarea${attributes({
    class: `govuk-textarea${options.maxLength ? ' govuk-js-character-count' : ''}${options.error ? ' govuk-textarea--error' : ''}`,
    id: options.id,
    name: options.name ?? options.id,
    rows: options.rows ?? 5,
    'aria-describedby': describedBy(options.id, options.hint, options.error),
  })}>${options.value ?? ''}</textarea>${options.maxLength && options.characterCountText ? html`<div id="${options.id}-info" class="govuk-hint govuk-character-count__message">${options.characterCountText}</div>` : html``}</div>`;
  return field;
}

export interface DateValue {
  readonly day?: string;
  readonly month?: string;
  readonly year?: string;
}

/** Three boxes, day, month and year; the error marks only the parts at fault. */
export function dateInput(options: Omit<FieldOptions, 'isPageHeading'> & { readonly value?: DateValue; readonly parts: { day: string; month: string; year: string }; readonly partsInError?: readonly (keyof DateValue)[]; readonly bornOn?: boolean }): Html {
  const inError = options.partsInError?.length ? options.partsInError : options.error ? (['day', 'month', 'year'] as const) : [];
  const box = (part: keyof DateValue, width: number) =>
    html`<div class="govuk-date-input__item"><div class="govuk-form-group"><label class="govuk-label govuk-date-input__label" for="${options.id}-${part}">${options.parts[part]}</label><input${attributes({
      class: `govuk-input govuk-date-input__input govuk-input--width-${width}${inError.includes(part) ? ' govuk-input--error' : ''}`,
      id: `${options.id}-${part}`,
      name: `${options.name ?? options.id}-${part}`,
      type: 'text',
      inputmode: 'numeric',
      value: options.value?.[part] ?? '',
      autocomplete: options.bornOn ? `bday-${part}` : undefined,
    })}></div></div>`;
  return html`<div class="govuk-form-group${options.error ? ' govuk-form-group--error' : ''}"><fieldset class="govuk-fieldset" role="group"${attributes({ 'aria-describedby': describedBy(options.id, options.hint, options.error) })}><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${options.label}</legend>${hintOf(options.id, options.hint)}${errorMessage(options.id, options.error, options.errorPrefix)}<div class="govuk-date-input" id="${options.id}">${box('day', 2)}${box('month', 2)}${box('year', 4)}</div></fieldset></div>`;
}

export interface Choice {
  readonly value: string;
  readonly text: string;
}

export function radios(options: Omit<FieldOptions, 'isPageHeading'> & { readonly choices: readonly Choice[]; readonly value?: string; readonly inline?: boolean }): Html {
  return html`<div class="govuk-form-group${options.error ? ' govuk-form-group--error' : ''}"><fieldset class="govuk-fieldset"${attributes({ 'aria-describedby': describedBy(options.id, options.hint, options.error) })}><legend class="govuk-fieldset__legend govuk-fieldset__legend--s">${options.label}</legend>${hintOf(options.id, options.hint)}${errorMessage(options.id, options.error, options.errorPrefix)}<div class="govuk-radios${options.inline ? ' govuk-radios--inline' : ''}" data-module="govuk-radios">${options.choices.map(
    (choice, i) =>
      html`<div class="govuk-radios__item"><input${attributes({
        class: 'govuk-radios__input',
        // the first choice carries the field's id, so the error summary's link lands on it
        id: i === 0 ? options.id : `${options.id}-${i + 1}`,
        name: options.name ?? options.id,
        type: 'radio',
        value: choice.value,
        checked: options.value === choice.value,
      })}><label class="govuk-label govuk-radios__label" for="${i === 0 ? options.id : `${options.id}-${i + 1}`}">${choice.text}</label></div>`,
  )}</div></fieldset></div>`;
}

export function button(text: string, options: { readonly secondary?: boolean; readonly name?: string; readonly value?: string } = {}): Html {
  return html`<button${attributes({ type: 'submit', class: `govuk-button${options.secondary ? ' govuk-button--secondary' : ''}`, 'data-module': 'govuk-button', 'data-prevent-double-click': 'true', name: options.name, value: options.value })}>${text}</button>`;
}

export interface SummaryRow {
  readonly key: string;
  readonly value: Renderable;
  /** a change action: a button in the row's form, so the answers travel in the request body, not the URL */
  readonly change?: { readonly text: string; readonly hidden: string; readonly name: string; readonly value: string; readonly formaction?: string };
}

export function summaryList(rows: readonly SummaryRow[]): Html {
  return html`<dl class="govuk-summary-list">${rows.map(
    (row) =>
      html`<div class="govuk-summary-list__row${row.change ? '' : ' govuk-summary-list__row--no-actions'}"><dt class="govuk-summary-list__key">${row.key}</dt><dd class="govuk-summary-list__value">${row.value}</dd>${
        row.change
          ? html`<dd class="govuk-summary-list__actions"><button type="submit" class="govuk-link app-link-button"${attributes({ name: row.change.name, value: row.change.value, formaction: row.change.formaction })}>${row.change.text}<span class="govuk-visually-hidden"> ${row.change.hidden}</span></button></dd>`
          : html``
      }</div>`,
  )}</dl>`;
}

export function panel(title: string, body: Renderable): Html {
  return html`<div class="govuk-panel govuk-panel--confirmation"><h1 class="govuk-panel__title">${title}</h1><div class="govuk-panel__body">${body}</div></div>`;
}

export function notificationBanner(options: { readonly title: string; readonly heading: Renderable; readonly body?: Renderable; readonly success?: boolean }): Html {
  return html`<div class="govuk-notification-banner${options.success ? ' govuk-notification-banner--success' : ''}"${attributes({ role: options.success ? 'alert' : 'region', 'aria-labelledby': 'notification-title', 'data-module': 'govuk-notification-banner' })}><div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="notification-title">${options.title}</h2></div><div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">${options.heading}</p>${options.body ?? html``}</div></div>`;
}

export const insetText = (body: Renderable): Html => html`<div class="govuk-inset-text">${body}</div>`;

export function select(options: Omit<FieldOptions, 'isPageHeading' | 'errorPrefix'> & { readonly choices: readonly Choice[]; readonly value?: string }): Html {
  return html`<div class="govuk-form-group">${label({ ...options, errorPrefix: '' })}${hintOf(options.id, options.hint)}<select${attributes({ class: 'govuk-select', id: options.id, name: options.name ?? options.id, 'aria-describedby': options.hint ? `${options.id}-hint` : undefined })}>${options.choices.map(
    (choice) => html`<option${attributes({ value: choice.value, selected: choice.value === (options.value ?? '') })}>${choice.text}</option>`,
  )}</select></div>`;
}

export type TagColour = 'red' | 'yellow' | 'blue' | 'grey' | 'green' | 'orange' | 'purple';
export const tag = (text: string, colour?: TagColour): Html => html`<strong class="govuk-tag${colour ? ` govuk-tag--${colour}` : ''}">${text}</strong>`;

/** Previous and next links, and "page 2 of 5", for a list longer than a page. */
export function pagination(options: { readonly page: number; readonly pages: number; readonly href: (page: number) => string }): Html {
  if (options.pages <= 1) return html``;
  const { page, pages, href } = options;
  return html`<nav class="govuk-pagination" aria-label="Pages">${page > 1 ? html`<div class="govuk-pagination__prev"><a class="govuk-link govuk-pagination__link" href="${href(page - 1)}" rel="prev"><span class="govuk-pagination__link-title">Previous<span class="govuk-visually-hidden"> page</span></span></a></div>` : html``}<ul class="govuk-pagination__list">${Array.from({ length: pages }, (_, i) => i + 1)
    .filter((n) => n === 1 || n === pages || Math.abs(n - page) <= 1)
    .map((n, i, shown) => html`${i > 0 && n - shown[i - 1] > 1 ? html`<li class="govuk-pagination__item govuk-pagination__item--ellipses">&ctdot;</li>` : html``}<li class="govuk-pagination__item${n === page ? ' govuk-pagination__item--current' : ''}"><a class="govuk-link govuk-pagination__link" href="${href(n)}" aria-label="Page ${n}"${attributes({ 'aria-current': n === page ? 'page' : undefined })}>${n}</a></li>`)}</ul>${page < pages ? html`<div class="govuk-pagination__next"><a class="govuk-link govuk-pagination__link" href="${href(page + 1)}" rel="next"><span class="govuk-pagination__link-title">Next<span class="govuk-visually-hidden"> page</span></span></a></div>` : html``}</nav>`;
}


export const backLink = (href: string, text: string): Html => html`<a href="${href}" class="govuk-back-link">${text}</a>`;
