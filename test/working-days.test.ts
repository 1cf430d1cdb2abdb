import { addWorkingDays, deadline, isWorkingDay } from '../lambdas/domain/working-days';

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
});
