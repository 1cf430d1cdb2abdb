// The shape of the code, as guards: the domain knows no AWS, only the transitions module moves
// a case between stages, nothing deployed uses the in-memory adapters, and every handler is in
// the function registry (so it is deployed, granted, alarmed and measured).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FUNCTIONS } from '../lambdas/functions';

const LAMBDAS = path.join(__dirname, '..', 'lambdas');

function sources(folder: string): string[] {
  return readdirSync(path.join(LAMBDAS, folder), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(path.join(folder, entry.name)) : entry.name.endsWith('.ts') ? [path.join(folder, entry.name)] : [],
  );
}

const importsOf = (file: string): string[] => [...readFileSync(path.join(LAMBDAS, file), 'utf8').matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((match) => match[1]);

describe('the domain', () => {
  const domain = sources('domain');

  it('imports nothing from the AWS SDK, Powertools or the adapters', () => {
    expect(domain.length).toBeGreaterThan(10);
    const offending = domain.flatMap((file) => importsOf(file).filter((name) => /^@aws-sdk\/|^@aws-lambda-powertools\/|^@middy\/|adapters/.test(name)).map((name) => `${file}: ${name}`));
    expect(offending).toEqual([]);
  });

  it('depends on nothing outside itself but the catalogue and Node', () => {
    const inside = (file: string, name: string) => {
      const target = path.relative(path.join(LAMBDAS, '..'), path.resolve(LAMBDAS, path.dirname(file), name));
      return target.startsWith(`lambdas${path.sep}domain${path.sep}`) || target.startsWith(`catalogue${path.sep}`);
    };
    const outside = domain.flatMap((file) => importsOf(file).filter((name) => !name.startsWith('node:') && !(name.startsWith('.') && inside(file, name))).map((name) => `${file}: ${name}`));
    expect(outside).toEqual([]);
  });

  it('is grouped by what it is about, with the plain values every rule uses at the bottom: they import no other part of the domain', () => {
    const folders = readdirSync(path.join(LAMBDAS, 'domain'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.sort()).toEqual(['cases', 'casework', 'citizens', 'journeys', 'messages', 'performance', 'services', 'shared']);
    // only the ports sit beside the folders: what the rules need from the world
    expect(domain.filter((file) => path.dirname(file) === 'domain')).toEqual([path.join('domain', 'ports.ts')]);
    const shared = domain.filter((file) => file.startsWith(path.join('domain', 'shared')));
    const reachingUp = shared.flatMap((file) => importsOf(file).filter((name) => name.startsWith('../')).filter((name) => !name.startsWith('../../../catalogue/')).map((name) => `${file}: ${name}`));
    expect(reachingUp).toEqual([]);
  });

  it('reads no clock, environment or console of its own: those come through its ports', () => {
    const offending = domain.filter((file) => /console\.|process\.env|new Date\(\)|Date\.now\(/.test(readFileSync(path.join(LAMBDAS, file), 'utf8')));
    expect(offending).toEqual([]);
  });

  it('lets only the transitions module make a change of stage', () => {
    const makers = sources('.').filter((file) => /new StageMove\(/.test(readFileSync(path.join(LAMBDAS, file), 'utf8')));
    expect(makers).toEqual([path.join('domain', 'cases', 'transitions.ts')]);
  });
});

describe('the handlers', () => {
  const handlers = ['api', 'pages', 'steps', 'notify', 'scheduled'].flatMap((folder) => sources(folder)).filter((file) => /export const handler\b/.test(readFileSync(path.join(LAMBDAS, file), 'utf8')));
  // what rotates secrets: it touches no case, so it needs none of the case adapters
  const rotations = sources('rotation').filter((file) => /export const handler\b/.test(readFileSync(path.join(LAMBDAS, file), 'utf8')));

  it('are all in the function registry, and every registered function has its handler', () => {
    expect([...handlers, ...rotations].map((file) => file.replace(/\.ts$/, '')).sort()).toEqual(FUNCTIONS.map((fn) => fn.entry).sort());
    for (const fn of FUNCTIONS) expect([fn.entry, existsSync(path.join(LAMBDAS, `${fn.entry}.ts`))]).toEqual([fn.entry, true]);
  });

  it('load the AWS adapters (and with them the calendar alarm), all but the status lookups (JSON and page), which read one item with the bare client', () => {
    const without = handlers.filter((file) => !importsOf(file).some((name) => /^(\.\.\/)+adapters\/aws\/deps$/.test(name)));
    expect(without.sort()).toEqual([path.join('api', 'get-status.ts'), path.join('pages', 'check-status.ts')]);
    for (const file of without) expect([file, importsOf(file)]).toEqual([file, expect.arrayContaining(['../adapters/aws/public-case'])]);
  });

  it('never use the in-memory adapters, which are for tests', () => {
    const everything = sources('.').filter((file) => !file.startsWith(path.join('adapters', 'memory')));
    expect(everything.filter((file) => importsOf(file).some((name) => name.includes('adapters/memory')))).toEqual([]);
  });

  it('have distinct names in the registry', () => {
    expect(new Set(FUNCTIONS.map((fn) => fn.name)).size).toBe(FUNCTIONS.length);
  });
});
