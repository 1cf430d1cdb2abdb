// In a deployed function, a date counted past the end of the bank-holiday calendar is said: a log
// line naming the file to extend, and the BankHolidaysMissing metric the alarm watches.
import { addWorkingDays, CALENDAR_ENDS_ON } from '../lambdas/domain/shared/working-days';

it('logs and counts a working-day count that runs past the bank-holiday calendar', () => {
  const lines: string[] = [];
  const spies = (['log', 'info', 'warn', 'error'] as const).map((method) => jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))));
  const writes = [process.stdout, process.stderr].map((stream) => jest.spyOn(stream, 'write').mockImplementation((chunk: any) => lines.push(String(chunk)) > 0));
  try {
    require('../lambdas/adapters/aws/deps'); // registers the runtime's listener, as every handler does at load
    lines.length = 0;
    addWorkingDays('2026-12-01', 5); // within the calendar: nothing said
    expect(lines).toEqual([]);
    addWorkingDays(CALENDAR_ENDS_ON, 3);
  } finally {
    spies.forEach((spy) => spy.mockRestore());
    writes.forEach((write) => write.mockRestore());
  }
  const said = lines.join('\n');
  expect(said).toMatch(/extend catalogue\/bank-holidays.json/);
  expect(said).toMatch(/"BankHolidaysMissing":1/);
});
