// A short, bounded load on loopback (the full-size run is `npm run bench -- load`): no 5xx, and
// every accepted application can be looked up afterwards. Speed is reported by the benchmark,
// not asserted here.
import { loadLocalPlatform } from '../bench/load';

it('answers concurrent lookups and a stream of applications with no 5xx and loses no case', async () => {
  const result = await loadLocalPlatform({ seconds: 3, lookupConcurrency: 20, submissionsPerSecond: 10 });
  expect(result.serverErrors).toBe(0);
  expect(result.unanswered).toBe(0);
  expect(result.lost).toEqual([]);
  expect(result.accepted).toBeGreaterThanOrEqual(30 + 10);
  expect(result.lookups.count).toBeGreaterThan(100);
  expect(Object.keys(result.statuses).sort()).toEqual(['200', '202']);
}, 60_000);
