// Rotating the secret CloudFront sends the API, step by step (lambdas/rotation/origin-secret-rotation.ts),
// against in-memory fakes of Secrets Manager, the API's web ACL and the CloudFront distribution:
// CloudFront and WAF have no local stand-in. The fakes model what matters: a distribution whose
// edges send the old or the new value until its change is deployed, and a web ACL that counts
// (rate limits) a request whose header it does not accept. The rotation must never leave a moment
// when an edge sends a value the web ACL does not accept.
import { CURRENT, PENDING, RotationError, rotateOriginSecret, type OriginHeader, type RotationDeps, type RotationStep, type SecretVersions, type TrustedHeaderRule } from '../lambdas/rotation/origin-secret-rotation';
import { originSecretConfig, randomSecretValue } from '../lambdas/adapters/aws/origin-secret';

const OLD = 'old-value-0123456789';
const TOKEN = 'c0ffee00-0000-4000-8000-000000000001';

/** Secrets Manager's versions of one secret, with their staging labels. */
class FakeSecret implements SecretVersions {
  rotationEnabled = true;
  readonly versions = new Map<string, { value?: string; stages: Set<string> }>([['v1', { value: OLD, stages: new Set([CURRENT]) }]]);

  /** as RotateSecret does before it invokes the function: a new version labelled AWSPENDING, with no value yet */
  startRotation(token: string): void {
    this.versions.set(token, { stages: new Set([PENDING]) });
  }

  async describe() {
    return { rotationEnabled: this.rotationEnabled, stagesByVersion: Object.fromEntries([...this.versions].map(([id, version]) => [id, [...version.stages]])) };
  }

  async value(stage: string, versionId?: string) {
    const found = [...this.versions].find(([id, version]) => version.stages.has(stage) && (versionId === undefined || id === versionId));
    return found?.[1].value;
  }

  async putPending(versionId: string, value: string) {
    const version = this.versions.get(versionId);
    if (!version) throw new Error(`no version ${versionId}`);
    if (version.value !== undefined) throw new Error('a version has one value');
    version.value = value;
  }

  async makeCurrent(versionId: string, fromVersionId: string) {
    const from = this.versions.get(fromVersionId)!;
    if (!from.stages.has(CURRENT)) throw new Error(`${fromVersionId} is not current`);
    from.stages.delete(CURRENT);
    from.stages.add('AWSPREVIOUS');
    this.versions.get(versionId)!.stages.add(CURRENT);
  }

  current(): string | undefined {
    return [...this.versions.values()].find((version) => version.stages.has(CURRENT))?.value;
  }
}

/** The web ACL's rule that leaves out of its rate limits what carries either of two values. */
class FakeWebAcl implements TrustedHeaderRule {
  values: readonly [string, string] = [OLD, OLD];
  async accepted() {
    return this.values;
  }
  async accept(values: readonly [string, string]) {
    this.values = [...values] as [string, string];
    onChange();
  }
}

/** A distribution whose edges send its last value and the one before until its change is deployed (after `deploysAfter` status checks). */
class FakeDistribution implements OriginHeader {
  header = OLD;
  private previous = OLD;
  private checksUntilDeployed = 0;
  deploysAfter = 3;

  async value() {
    return this.header;
  }
  async set(value: string) {
    this.previous = this.header;
    this.header = value;
    this.checksUntilDeployed = this.deploysAfter;
    onChange();
  }
  async deployed() {
    if (this.checksUntilDeployed > 0) this.checksUntilDeployed--;
    return this.checksUntilDeployed === 0;
  }
  /** what CloudFront's edges may be sending now */
  sending(): string[] {
    return this.checksUntilDeployed > 0 ? [this.previous, this.header] : [this.header];
  }
  /** a deploy that puts the template's value back, as CloudFormation would mid-rotation */
  putBack(value: string) {
    void this.set(value);
  }
}

let secret: FakeSecret;
let webAcl: FakeWebAcl;
let distribution: FakeDistribution;
let deps: RotationDeps;
let waited: number[];
let logged: string[];
/** every moment at which an edge sent a value the web ACL would not have accepted */
let turnedAway: string[];
let generated = 0;

function onChange(): void {
  for (const value of distribution.sending()) if (!webAcl.values.includes(value)) turnedAway.push(value);
}

beforeEach(() => {
  secret = new FakeSecret();
  webAcl = new FakeWebAcl();
  distribution = new FakeDistribution();
  waited = [];
  logged = [];
  turnedAway = [];
  deps = {
    secret,
    webAcl,
    distribution,
    newValue: () => `new-value-${++generated}`,
    wait: async (ms) => {
      waited.push(ms);
    },
    deployPolling: { everyMs: 20_000, attempts: 10 },
    log: { info: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`), error: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`) },
  };
});

const STEPS: readonly RotationStep[] = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];
const run = (step: RotationStep, token = TOKEN) => rotateOriginSecret(deps, { step, token });

describe('rotating the origin secret', () => {
  it('makes a new value, has the web ACL accept both while CloudFront changes over, and then the new one only, without an edge ever sending a value it would not accept', async () => {
    secret.startRotation(TOKEN);
    const seen: string[] = [];
    for (const step of STEPS) {
      await run(step);
      seen.push(`${step}: ${webAcl.values.join('|')} / ${distribution.header}`);
    }
    const fresh = secret.current()!;
    expect(fresh).toMatch(/^new-value-\d+$/);
    expect(seen).toEqual([
      `createSecret: ${OLD}|${OLD} / ${OLD}`,
      `setSecret: ${OLD}|${fresh} / ${fresh}`,
      `testSecret: ${OLD}|${fresh} / ${fresh}`,
      `finishSecret: ${fresh}|${fresh} / ${fresh}`,
    ]);
    expect(turnedAway).toEqual([]);
    // the old value is trusted no more, and the secret's versions say so
    expect(webAcl.values).not.toContain(OLD);
    expect(secret.versions.get(TOKEN)!.stages).toEqual(new Set([PENDING, CURRENT]));
    expect(secret.versions.get('v1')!.stages).toEqual(new Set(['AWSPREVIOUS']));
  });

  it('waits in testSecret until CloudFront has deployed the change to every edge', async () => {
    secret.startRotation(TOKEN);
    distribution.deploysAfter = 4;
    for (const step of STEPS.slice(0, 3)) await run(step);
    expect(waited).toEqual([20_000, 20_000, 20_000]);
    expect(distribution.sending()).toEqual([secret.versions.get(TOKEN)!.value]);
  });

  it('gives up in testSecret when CloudFront has not deployed in time, leaving the web ACL accepting both values', async () => {
    secret.startRotation(TOKEN);
    distribution.deploysAfter = 100;
    await run('createSecret');
    await run('setSecret');
    await expect(run('testSecret')).rejects.toThrow(/CloudFront had not deployed the new header after 180 seconds: the web ACL keeps accepting both values/);
    expect(waited).toHaveLength(9);
    expect(webAcl.values).toEqual([OLD, secret.versions.get(TOKEN)!.value]);
    expect(secret.current()).toBe(OLD);
    expect(turnedAway).toEqual([]);
  });

  it('keeps the web ACL accepting both values when a deploy put the old header back before finishSecret, and fails so that it alarms', async () => {
    secret.startRotation(TOKEN);
    for (const step of STEPS.slice(0, 3)) await run(step);
    // CloudFormation updates the distribution for another reason and resolves the secret: still the old AWSCURRENT
    distribution.putBack(OLD);
    await expect(run('finishSecret')).rejects.toThrow(/CloudFront has not deployed the new header to every edge|CloudFront does not send the new value/);
    expect(webAcl.values).toContain(OLD);
    expect(secret.current()).toBe(OLD);
    expect(turnedAway).toEqual([]);
  });

  it('puts the new value back into the web ACL when a deploy took it out while CloudFront changed over, so CloudFront\'s requests are not rate limited', async () => {
    secret.startRotation(TOKEN);
    await run('createSecret');
    await run('setSecret');
    const fresh = secret.versions.get(TOKEN)!.value!;
    // CloudFormation updates the web ACL for another reason and resolves the secret: the old AWSCURRENT, twice
    webAcl.values = [OLD, OLD];
    await run('testSecret');
    expect(webAcl.values).toEqual([OLD, fresh]);
    expect(logged.some((line) => line.startsWith('origin secret: the web ACL had lost the new value'))).toBe(true);
    await run('finishSecret');
    expect(webAcl.values).toEqual([fresh, fresh]);
    expect(secret.current()).toBe(fresh);
  });

  it('can run each step again, as Secrets Manager does after a failure, and ends as one run would', async () => {
    secret.startRotation(TOKEN);
    const before = generated;
    for (const step of STEPS) {
      await run(step);
      await run(step);
    }
    const fresh = secret.versions.get(TOKEN)!.value;
    // one new value, made once
    expect(generated - before).toBe(1);
    expect(secret.current()).toBe(fresh);
    expect(webAcl.values).toEqual([fresh, fresh]);
    expect(distribution.header).toBe(fresh);
    expect(turnedAway).toEqual([]);
    expect(logged.some((line) => line.startsWith('origin secret: version already current'))).toBe(true);
  });

  it('rotates again next month from where the last rotation left things', async () => {
    secret.startRotation(TOKEN);
    for (const step of STEPS) await run(step);
    const first = secret.current();
    secret.versions.get(TOKEN)!.stages.delete(PENDING);
    const next = 'c0ffee00-0000-4000-8000-000000000002';
    secret.startRotation(next);
    for (const step of STEPS) await rotateOriginSecret(deps, { step, token: next });
    expect(secret.current()).not.toBe(first);
    expect(webAcl.values).toEqual([secret.current(), secret.current()]);
    expect(turnedAway).toEqual([]);
  });

  it('refuses to rotate a secret whose rotation is off, to a version it does not have, or to one that is not pending', async () => {
    secret.startRotation(TOKEN);
    secret.rotationEnabled = false;
    await expect(run('createSecret')).rejects.toThrow(new RotationError('Rotation is not turned on for this secret'));
    secret.rotationEnabled = true;
    await expect(run('createSecret', 'no-such-version')).rejects.toThrow(/has no version no-such-version/);
    secret.versions.set('stray', { value: 'x', stages: new Set() });
    await expect(run('setSecret', 'stray')).rejects.toThrow(/not the one being rotated to \(not AWSPENDING\)/);
    await expect(run('setSecret')).rejects.toThrow(/has no value: createSecret has not run/);
    // nothing changed on the way
    expect(webAcl.values).toEqual([OLD, OLD]);
    expect(distribution.header).toBe(OLD);
  });

  it('never says a value of the secret in its errors or its log', async () => {
    secret.startRotation(TOKEN);
    distribution.deploysAfter = 100;
    const errors: string[] = [];
    for (const step of STEPS) await run(step).catch((error: Error) => errors.push(error.message));
    expect(errors.length).toBeGreaterThan(0);
    const values = [OLD, secret.versions.get(TOKEN)!.value!];
    for (const line of [...errors, ...logged]) for (const value of values) expect(line).not.toContain(value);
  });
});

describe("the rotation function's configuration and new values", () => {
  it('reads the web ACL, distribution and header from its JSON, and names what is missing', () => {
    const config = { webAcl: { name: 'journey-tracker-prod-web-JourneyTrackerApi', id: 'abc', scope: 'REGIONAL' }, distributionId: 'E123', headerName: 'X-Origin-Verify' };
    expect(originSecretConfig(JSON.stringify(config), 'ORIGIN_SECRET_ROTATION')).toEqual(config);
    expect(() => originSecretConfig('{"webAcl":{"name":"a","scope":"GLOBAL"}}', 'ORIGIN_SECRET_ROTATION')).toThrow('ORIGIN_SECRET_ROTATION lacks webAcl.id, webAcl.scope (REGIONAL or CLOUDFRONT), distributionId, headerName');
    expect(() => originSecretConfig('not json', 'ORIGIN_SECRET_ROTATION')).toThrow(/ORIGIN_SECRET_ROTATION is not JSON/);
  });

  it('makes values as long as Secrets Manager first made, of letters and digits a header can carry, never the same twice', () => {
    const values = Array.from({ length: 50 }, () => randomSecretValue());
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(new Set(values).size).toBe(values.length);
  });
});
