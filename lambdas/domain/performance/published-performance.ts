// The published performance: every service's journeys as /performance and its open data show
// them, put together from the day figures the performance store keeps, and the same report as CSV
// (RFC 4180). Only counts and dates go in: nothing here can name a person.
import { requireService, serviceCodes, serviceStandard, type Service } from '../services/catalogue';
import { journeyPerformance, publishedFrom, type JourneyPerformance, type PerformanceReport, type PerformanceRow } from './performance';
import type { PerformanceStore } from '../ports';
import { ukDate } from '../shared/working-days';

/**
 * The report at `at`: for each service (the catalogue's, unless given) and each journey it offers,
 * the last 90 days and each published month up to today (UK date), against the journey's standard.
 */
export async function publishedPerformance(
  store: Pick<PerformanceStore, 'days'>,
  at: Date,
  services: readonly Service[] = serviceCodes().map(requireService),
): Promise<PerformanceReport> {
  const today = ukDate(at);
  const from = publishedFrom(today);
  const subjects = services.flatMap((service) =>
    service.journeys.map((journey) => {
      const standard = serviceStandard(service, journey);
      return { service: service.code, journey, standardWorkingDays: standard.decisionWorkingDays, targetPercent: standard.withinStandardTargetPercent };
    }),
  );
  const journeys = await Promise.all(subjects.map(async (subject) => journeyPerformance(subject, await store.days(subject.service, subject.journey, from, today, { upToTheSecond: false }), today)));
  return { generatedAt: at.toISOString(), from, to: today, journeys };
}

/** The columns of the CSV, in order: the names open-data users read in its header row. */
export const PERFORMANCE_CSV_COLUMNS = [
  'service',
  'journey',
  'period',
  'from',
  'to',
  'received',
  'decided',
  'decided_within_standard',
  'decided_within_standard_percent',
  'working_days_to_decision_p50',
  'working_days_to_decision_p90',
  'texts_sent',
  'texts_not_sent',
  'texts_delivered',
  'texts_not_delivered',
  'fewer_than_10_decided',
  'open_cases',
  'oldest_open_received_on',
  'standard_working_days',
  'target_percent',
] as const;

export type CsvValue = string | number | boolean | undefined;

/** One field: empty when absent, in double quotes (doubled inside) when it holds a comma, a quote or a line break. */
export function csvField(value: CsvValue): string {
  if (value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Records as RFC 4180 text: fields separated by commas, each record ended by CRLF. */
export const toCsv = (records: readonly (readonly CsvValue[])[]): string => records.map((record) => `${record.map(csvField).join(',')}\r\n`).join('');

function csvRecord(journey: JourneyPerformance, row: PerformanceRow): CsvValue[] {
  return [
    journey.service,
    journey.journey,
    row.period,
    row.from,
    row.to,
    row.received,
    row.decided,
    row.decidedWithinStandard,
    row.decidedWithinStandardPercent,
    row.workingDaysToDecisionP50,
    row.workingDaysToDecisionP90,
    row.textsSent,
    row.textsNotSent,
    row.textsDelivered,
    row.textsNotDelivered,
    row.fewerThan10Decided,
    journey.openCases,
    journey.oldestOpenReceivedOn,
    journey.standardWorkingDays,
    journey.targetPercent,
  ];
}

/** The report as CSV: a header row, then per service and journey the last 90 days and each month, newest first. */
export function performanceCsv(report: PerformanceReport): string {
  return toCsv([PERFORMANCE_CSV_COLUMNS, ...report.journeys.flatMap((journey) => [journey.last90Days, ...journey.months].map((row) => csvRecord(journey, row)))]);
}
