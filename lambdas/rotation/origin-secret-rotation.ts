// Rotating the secret CloudFront sends the API (the X-Origin-Verify header) without turning a
// request away, in the four steps Secrets Manager invokes the rotation function for. The API's
// web ACL recognises CloudFront's requests by the header's value, and CloudFront takes minutes to
// change what its edges send: so the web ACL accepts both the current value and the new one
// while the distribution changes over, and drops the old one only once every edge sends the new.
//
//   createSecret  a new random value, kept as the AWSPENDING version
//   setSecret     the web ACL accepts the current and the pending value; CloudFront sends the pending
//   testSecret    CloudFront's change is deployed to every edge, and both ends have the pending value
//   finishSecret  the web ACL accepts the new value only; the new version becomes AWSCURRENT
//
// Every step can run again (Secrets Manager retries a rotation that failed) and leaves things as
// they should be. The AWS clients come in as ports (lambdas/adapters/aws/origin-secret.ts), so
// the steps are tested with fakes: CloudFront and WAF have no local stand-in.
import type { Log } from '../domain/ports';

export type RotationStep = 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';

export const CURRENT = 'AWSCURRENT';
export const PENDING = 'AWSPENDING';
type Stage = typeof CURRENT | typeof PENDING;

/** The secret's versions in Secrets Manager. */
export interface SecretVersions {
  /** whether rotation is turned on, and each version's staging labels */
  describe(): Promise<{ readonly rotationEnabled: boolean; readonly stagesByVersion: Readonly<Record<string, readonly string[]>> }>;
  /** the value of the version with `stage` (and, when given, this id); undefined when there is none */
  value(stage: Stage, versionId?: string): Promise<string | undefined>;
  /** keeps `value` as version `versionId`, labelled AWSPENDING */
  putPending(versionId: string, value: string): Promise<void>;
  /** moves AWSCURRENT from `fromVersionId` to `versionId` */
  makeCurrent(versionId: string, fromVersionId: string): Promise<void>;
}

/** The web ACL rule that does not rate limit what CloudFront forwarded: it matches either of two values of the header. */
export interface TrustedHeaderRule {
  accepted(): Promise<readonly [string, string]>;
  accept(values: readonly [string, string]): Promise<void>;
}

/** The header the CloudFront distribution adds to every request it sends the API. */
export interface OriginHeader {
  value(): Promise<string | undefined>;
  set(value: string): Promise<void>;
  /** whether the distribution's last change has reached every edge (its status is Deployed) */
  deployed(): Promise<boolean>;
}

export interface RotationDeps {
  readonly secret: SecretVersions;
  readonly webAcl: TrustedHeaderRule;
  readonly distribution: OriginHeader;
  /** a new secret value: random, hard to guess */
  readonly newValue: () => string;
  readonly wait: (ms: number) => Promise<void>;
  /** how long testSecret waits for CloudFront to deploy: every `everyMs`, at most `attempts` times */
  readonly deployPolling: { readonly everyMs: number; readonly attempts: number };
  readonly log: Log;
}

export interface RotationRequest {
  readonly step: RotationStep;
  /** the version Secrets Manager is rotating to (its ClientRequestToken) */
  readonly token: string;
}

/** A rotation that cannot go on; the message says why, never a secret's value. */
export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationError';
  }
}

/** Runs one step of a rotation to `request.token`. */
export async function rotateOriginSecret(deps: RotationDeps, request: RotationRequest): Promise<void> {
  const { token } = request;
  const { rotationEnabled, stagesByVersion } = await deps.secret.describe();
  if (!rotationEnabled) throw new RotationError('Rotation is not turned on for this secret');
  const stages = stagesByVersion[token];
  if (!stages) throw new RotationError(`The secret has no version ${token} to rotate to`);
  if (stages.includes(CURRENT)) {
    // a rotation that finished already, asked again (AWSPENDING may still be on it too)
    deps.log.info('origin secret: version already current', { step: request.step, token });
    return;
  }
  if (!stages.includes(PENDING)) throw new RotationError(`Version ${token} of the secret is not the one being rotated to (not ${PENDING})`);

  switch (request.step) {
    case 'createSecret':
      return createSecret(deps, token);
    case 'setSecret':
      return setSecret(deps, token);
    case 'testSecret':
      return testSecret(deps, token);
    case 'finishSecret':
      return finishSecret(deps, token, stagesByVersion);
    default: {
      const unknown: never = request.step;
      throw new RotationError(`Unknown rotation step ${String(unknown)}`);
    }
  }
}

async function createSecret(deps: RotationDeps, token: string): Promise<void> {
  await current(deps);
  if ((await deps.secret.value(PENDING, token)) !== undefined) {
    deps.log.info('origin secret: new value made already', { token });
    return;
  }
  await deps.secret.putPending(token, deps.newValue());
  deps.log.info('origin secret: new value made', { token });
}

async function setSecret(deps: RotationDeps, token: string): Promise<void> {
  const [currentValue, pendingValue] = [await current(deps), await pending(deps, token)];
  // first the web ACL trusts both, then CloudFront starts sending the new one: no request CloudFront
  // forwards is ever counted as if it came straight to the API's own address
  await deps.webAcl.accept([currentValue, pendingValue]);
  await deps.distribution.set(pendingValue);
  deps.log.info('origin secret: web ACL accepts both values, CloudFront sends the new one', { token });
}

async function testSecret(deps: RotationDeps, token: string): Promise<void> {
  const [currentValue, pendingValue] = [await current(deps), await pending(deps, token)];
  await untilDeployed(deps);
  await cloudFrontSends(deps, pendingValue);
  // A deploy that updated the web ACL meanwhile wrote the current value back into both places
  // (CloudFormation resolves the secret's AWSCURRENT): CloudFront's requests would be rate limited
  // as if they came straight to the API, so the rule takes the new value again.
  if (!(await deps.webAcl.accepted()).includes(pendingValue)) {
    await deps.webAcl.accept([currentValue, pendingValue]);
    deps.log.error('origin secret: the web ACL had lost the new value (a deploy during the rotation?): it accepts both again', { token });
  }
  deps.log.info('origin secret: CloudFront sends the new value from every edge', { token });
}

async function finishSecret(deps: RotationDeps, token: string, stagesByVersion: Readonly<Record<string, readonly string[]>>): Promise<void> {
  const pendingValue = await pending(deps, token);
  const currentVersion = Object.entries(stagesByVersion).find(([, stages]) => stages.includes(CURRENT))?.[0];
  if (!currentVersion) throw new RotationError(`The secret has no ${CURRENT} version`);
  // only once every edge sends the new value (a deploy may have put the old one back since testSecret)
  if (!(await deps.distribution.deployed())) throw new RotationError('CloudFront has not deployed the new header to every edge: the web ACL keeps accepting both values');
  await cloudFrontSends(deps, pendingValue);
  await deps.webAcl.accept([pendingValue, pendingValue]);
  await deps.secret.makeCurrent(token, currentVersion);
  deps.log.info('origin secret: rotated; the web ACL accepts the new value only', { token });
}

async function current(deps: RotationDeps): Promise<string> {
  const value = await deps.secret.value(CURRENT);
  if (value === undefined) throw new RotationError(`The secret has no ${CURRENT} value`);
  return value;
}

async function pending(deps: RotationDeps, token: string): Promise<string> {
  const value = await deps.secret.value(PENDING, token);
  if (value === undefined) throw new RotationError(`Version ${token} of the secret has no value: createSecret has not run`);
  return value;
}

async function untilDeployed(deps: RotationDeps): Promise<void> {
  const { everyMs, attempts } = deps.deployPolling;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (await deps.distribution.deployed()) return;
    if (attempt < attempts) await deps.wait(everyMs);
  }
  throw new RotationError(`CloudFront had not deployed the new header after ${Math.round((everyMs * (attempts - 1)) / 1000)} seconds: the web ACL keeps accepting both values, and the rotation is tried again`);
}

async function cloudFrontSends(deps: RotationDeps, pendingValue: string): Promise<void> {
  if ((await deps.distribution.value()) !== pendingValue) {
    throw new RotationError('CloudFront does not send the new value (a deploy during the rotation put the current one back?): the web ACL keeps accepting both values, and the rotation is tried again');
  }
}
