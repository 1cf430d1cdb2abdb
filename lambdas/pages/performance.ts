// The published performance: GET /performance shows, for each service and journey, the last 90
// days in a sentence, a chart of the share decided within the service standard each month and a
// table of every figure, with how they are counted; /performance.json and /performance.csv are
// the same report as open data. Counts and dates only: nothing here can name a person.
import { clock, performanceStore } from '../adapters/aws/deps';
import { findService } from '../domain/services/catalogue';
import { readableDate } from '../domain/services/content';
import type { Language } from '../domain/shared/language';
import { estimateWindow, type JourneyPerformance, type PerformanceReport, type PerformanceRow } from '../domain/performance/performance';
import { performanceCsv, publishedPerformance } from '../domain/performance/published-performance';
import { barChart } from '../web/chart';
import { summaryList } from '../web/components';
import { html, type Html } from '../web/html';
import { pageHandler, type PageResult } from '../web/page-http';
import { WORDS, say } from '../web/words';

const store = performanceStore();

/** The figures change only as cases move: browsers (and anything in between) may keep them five minutes. */
const CACHED = { 'cache-control': 'public, max-age=300' };

// Formatters cost far more to create than to use: each is built once, on first use.
const formats = new Map<string, Intl.DateTimeFormat>();
function monthName(period: string, language: Language, month: 'long' | 'short', year = true): string {
  const key = `${language}:${month}:${year}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'cy' ? 'cy-GB' : 'en-GB', { month, ...(year ? { year: 'numeric' } : {}), timeZone: 'UTC' });
    formats.set(key, format);
  }
  return format.format(new Date(`${period}-01T00:00:00Z`));
}

/** A count or a share as people read them: 1,234 and 83.3. */
const figure = (value: number): string => value.toLocaleString('en-GB', { maximumFractionDigits: 1 });

function workingDays(days: number, language: Language): string {
  const words = WORDS[language].performance.workingDays;
  // (Welsh mutates the noun after two: "2 ddiwrnod")
  return days === 0 ? words.zero : days === 1 ? words.one : days === 2 ? words.two : say(words.other, { count: figure(days) });
}

/** "Last 90 days", "November 2026", or "November 2026 (so far)" for the month not over yet. */
function periodName(row: PerformanceRow, report: PerformanceReport, language: Language): string {
  const words = WORDS[language].performance;
  if (row.period === 'last-90-days') return words.last90Days;
  const month = monthName(row.period, language, 'long');
  return row.period === report.to.slice(0, 7) ? say(words.monthSoFar, { month }) : month;
}

const fewCases = (row: PerformanceRow): boolean => row.fewerThan10Decided && row.decided > 0;

function headline(journey: JourneyPerformance, language: Language): Html {
  const words = WORDS[language].performance;
  const named = words.journeys[journey.journey];
  const last = journey.last90Days;
  if (last.decided === 0 || last.decidedWithinStandardPercent === undefined) return html`<p class="govuk-body-l">${named.noneDecided}</p>`;
  const decided = last.decided === 1 ? named.decidedOne : say(named.decidedOther, { count: figure(last.decided) });
  return html`<p class="govuk-body-l">${say(words.headline, { decided, percent: figure(last.decidedWithinStandardPercent), days: workingDays(journey.standardWorkingDays, language), target: figure(journey.targetPercent) })}</p>${
    last.workingDaysToDecisionP50 !== undefined && last.workingDaysToDecisionP90 !== undefined
      ? html`<p class="govuk-body">${say(words.percentiles, { p50: workingDays(last.workingDaysToDecisionP50, language), p90: workingDays(last.workingDaysToDecisionP90, language) })}</p>`
      : html``
  }${fewCases(last) ? html`<div class="govuk-inset-text">${words.fewCases}</div>` : html``}`;
}

function chart(journey: JourneyPerformance, report: PerformanceReport, language: Language, id: string): Html {
  const words = WORDS[language].performance;
  const service = findService(journey.service)?.name[language] ?? journey.service;
  const journeys = words.journeys[journey.journey].plural;
  const months = [...journey.months].reverse();
  const described = months.map((row) => {
    const month = periodName(row, report, language);
    if (row.decidedWithinStandardPercent === undefined) return say(words.chartMonthNone, { month });
    return say(fewCases(row) ? words.chartMonthFew : words.chartMonth, { month, percent: figure(row.decidedWithinStandardPercent) });
  });
  return barChart({
    id,
    title: say(words.chartTitle, { service, journeys }),
    description: say(words.chartDescription, {
      journeys,
      days: workingDays(journey.standardWorkingDays, language),
      from: readableDate(report.from, language),
      to: readableDate(report.to, language),
      target: figure(journey.targetPercent),
      months: described.join('; '),
    }),
    bars: months.map((row, i) => ({
      label: monthName(row.period, language, 'short', false),
      // the year under each January, and under the first month unless a January is next to it
      ...(row.period.endsWith('-01') || (i === 0 && !months[1]?.period.endsWith('-01')) ? { sublabel: row.period.slice(0, 4) } : {}),
      ...(row.decidedWithinStandardPercent !== undefined ? { value: row.decidedWithinStandardPercent } : {}),
      marked: fewCases(row),
    })),
    max: 100,
    ticks: [0, 25, 50, 75, 100].map((value) => [value, `${value}%`] as const),
    target: { value: journey.targetPercent, label: say(words.chartAim, { target: figure(journey.targetPercent) }) },
  });
}

function table(journey: JourneyPerformance, report: PerformanceReport, language: Language, id: string): Html {
  const words = WORDS[language].performance;
  const columns = words.columns;
  const service = findService(journey.service)?.name[language] ?? journey.service;
  const numeric = (value: string | Html) => html`<td class="govuk-table__cell govuk-table__cell--numeric">${value}</td>`;
  // a share or a number of days: absent without decisions, marked when from fewer than 10 of them
  const derived = (row: PerformanceRow, value: number | undefined) =>
    numeric(
      value === undefined
        ? html`<span aria-hidden="true">–</span><span class="govuk-visually-hidden">${words.noFigure}</span>`
        : html`${figure(value)}${fewCases(row) ? html`<span aria-hidden="true">&nbsp;*</span><span class="govuk-visually-hidden"> ${words.fewMark}</span>` : html``}`,
    );
  const head = [columns.received, columns.decided, columns.withinStandard, columns.withinStandardPercent, columns.p50, columns.p90, columns.textsSent, columns.textsNotSent, columns.textsDelivered, columns.textsNotDelivered];
  // the caption is read with the table; the heading above it is what a reader sees (a caption as
  // wide as the table would scroll out of sight with it on a narrow screen)
  return html`<h4 class="govuk-heading-s">${words.tableHeading}</h4><div class="app-table-scroll" role="region" aria-labelledby="${id}-caption" tabindex="0"><table class="govuk-table app-figures"><caption id="${id}-caption" class="govuk-table__caption govuk-visually-hidden">${say(words.tableCaption, { service, journeys: words.journeys[journey.journey].plural })}</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">${columns.period}</th>${head.map(
    (text) => html`<th scope="col" class="govuk-table__header govuk-table__header--numeric">${text}</th>`,
  )}</tr></thead><tbody class="govuk-table__body">${[journey.last90Days, ...journey.months].map(
    (row) =>
      html`<tr class="govuk-table__row" data-period="${row.period}"><th scope="row" class="govuk-table__header">${periodName(row, report, language)}</th>${numeric(figure(row.received))}${numeric(figure(row.decided))}${numeric(figure(row.decidedWithinStandard))}${derived(row, row.decidedWithinStandardPercent)}${derived(row, row.workingDaysToDecisionP50)}${derived(row, row.workingDaysToDecisionP90)}${numeric(figure(row.textsSent))}${numeric(figure(row.textsNotSent))}${numeric(figure(row.textsDelivered))}${numeric(figure(row.textsNotDelivered))}</tr>`,
  )}</tbody></table></div>`;
}

function journeySection(journey: JourneyPerformance, report: PerformanceReport, language: Language): Html {
  const words = WORDS[language].performance;
  const id = `${journey.service}-${journey.journey}`;
  const anyFew = [journey.last90Days, ...journey.months].some(fewCases);
  return html`<section aria-labelledby="${id}-heading"><h3 class="govuk-heading-m" id="${id}-heading">${words.journeys[journey.journey].heading}</h3>${headline(journey, language)}${summaryList([
    { key: words.openCases, value: figure(journey.openCases) },
    ...(journey.oldestOpenReceivedOn ? [{ key: words.oldestOpen, value: readableDate(journey.oldestOpenReceivedOn, language) }] : []),
  ])}${chart(journey, report, language, `${id}-chart`)}${table(journey, report, language, `${id}-figures`)}${anyFew ? html`<p class="govuk-body-s">${words.fewNote}</p>` : html``}</section>`;
}

function performancePage(report: PerformanceReport, language: Language): PageResult {
  const words = WORDS[language].performance;
  const services = [...new Set(report.journeys.map((journey) => journey.service))];
  return {
    status: 200,
    page: {
      title: words.title,
      path: '/performance',
      main: html`<h1 class="govuk-heading-l">${words.title}</h1><p class="govuk-body-l">${words.lead}</p><p class="govuk-body">${say(words.coverage, {
        from: readableDate(report.from, language),
        to: readableDate(report.to, language),
        last90From: readableDate(estimateWindow(report.to).from, language),
      })}</p>${services.map(
        (code) =>
          html`<h2 class="govuk-heading-l">${findService(code)?.name[language] ?? code}</h2>${report.journeys.filter((journey) => journey.service === code).map((journey) => journeySection(journey, report, language))}`,
      )}<h2 class="govuk-heading-l">${words.howHeading}</h2>${words.how.map((text) => html`<p class="govuk-body">${text}</p>`)}<h2 class="govuk-heading-l">${words.dataHeading}</h2><p class="govuk-body">${words.dataLead}</p><ul class="govuk-list"><li><a class="govuk-link" href="/performance.csv" type="text/csv">${words.csv}</a></li><li><a class="govuk-link" href="/performance.json" type="application/json">${words.json}</a></li></ul>`,
    },
  };
}

export const handler = pageHandler(async (request) => {
  const report = await publishedPerformance(store, clock());
  switch (request.event.resource) {
    case '/performance.json':
      return { status: 200, contentType: 'application/json', body: JSON.stringify(report), headers: CACHED };
    case '/performance.csv':
      return { status: 200, contentType: 'text/csv; charset=utf-8', body: performanceCsv(report), headers: CACHED };
    default:
      return performancePage(report, request.language);
  }
});
