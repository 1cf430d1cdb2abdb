import bankHolidays from '../catalogue/bank-holidays.json';
import { addWorkingDays, CALENDAR_ENDS_ON, calendarEndsOn, deadline, isWorkingDay, onPastCalendar, type PastCalendar } from '../lambdas/domain/shared/working-days';

describe('working days', () => {
  it('skips weekends', () => {
    expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-23'); // Friday → Monday
    expect(addWorkingDays('2026-11-23', 10)).toBe('2026-12-07');
  });

  it('skips bank holidays in England and Wales', () => {
    expect(isWorkingDay('2026-12-25')).toBe(false);
    expect(isWorkingDay('2026-12-28')).toBe(false); // Boxing Day, moved from Saturday
    expect(addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(addWorkingDays('2027-03-25', 1)).toBe('2027-03-30'); // Good Friday and Easter Monday
  });

  it('accepts a list of bank holidays from configuration', () => {
    expect(addWorkingDays('2026-11-23', 1, new Set(['2026-11-24']))).toBe('2026-11-25');
  });

  it('gives a deadline at 17:00 UK time and the seconds until it, across the clock change', () => {
    const { date, seconds } = deadline(new Date('2026-03-27T09:00:00Z'), 1); // Friday, GMT
    expect(date).toBe('2026-03-30'); // Monday, after the clocks go forward
    expect(new Date(Date.parse('2026-03-27T09:00:00Z') + seconds * 1000).toISOString()).toBe('2026-03-30T16:00:00.000Z');
  });

  describe('past the end of the bank-holiday calendar', () => {
    let heard: PastCalendar[];
    let restore: () => void;
    beforeEach(() => {
      heard = [];
      restore = onPastCalendar((event) => heard.push(event));
    });
    afterEach(() => restore());

    it('knows the last day the calendar covers: the end of the last year it lists', () => {
      const lastYear = bankHolidays.dates.map((date) => date.slice(0, 4)).sort().at(-1);
      expect(CALENDAR_ENDS_ON).toBe(`${lastYear}-12-31`);
      expect(calendarEndsOn(new Set(['2031-05-05', '2030-12-25']))).toBe('2031-12-31');
    });

    it('says nothing while the count stays inside the calendar', () => {
      expect(addWorkingDays('2026-11-23', 10)).toBe('2026-12-07');
      deadline(new Date('2026-11-23T09:00:00Z'), 20);
      expect(heard).toEqual([]);
    });

    it('reports a count that runs past the calendar, once, and still skips weekends', () => {
      const end = CALENDAR_ENDS_ON;
      const from = '2027-12-29'; // a Wednesday, two days before the calendar ends
      expect(addWorkingDays(from, 5)).toBe('2028-01-05'); // Thu, Fri, (weekend), Mon, Tue, Wed
      expect(heard).toEqual([{ from, to: '2028-01-05', calendarEndsOn: end }]);
      expect(isWorkingDay('2028-01-08')).toBe(false); // a Saturday, whatever the calendar says
    });

    it('reports through deadline too, which is what service standards use', () => {
      const { date } = deadline(new Date('2027-12-20T09:00:00Z'), 10);
      expect(date > CALENDAR_ENDS_ON).toBe(true);
      expect(heard).toEqual([{ from: '2027-12-20', to: date, calendarEndsOn: CALENDAR_ENDS_ON }]);
    });

    it('answers the same date even when the listener fails', () => {
      restore();
      restore = onPastCalendar(() => {
        throw new Error('metrics are down');
      });
      expect(addWorkingDays('2027-12-29', 5)).toBe('2028-01-05');
    });

    it('judges a list of holidays from configuration by its own last year', () => {
      expect(addWorkingDays('2026-12-30', 2, new Set(['2026-05-04']))).toBe('2027-01-01');
      expect(heard).toEqual([{ from: '2026-12-30', to: '2027-01-01', calendarEndsOn: '2026-12-31' }]);
    });
  });
});
