// The origin secret's rotation (lambdas/rotation/origin-secret-rotation.ts) in AWS: the secret's
// versions in Secrets Manager, the API's regional web ACL (WAFv2) and the CloudFront
// distribution's origin header, each behind the port the rotation uses. WAF and CloudFront
// replace a whole web ACL or distribution config on update, so each change reads the whole, edits
// only the header's value, and writes it back under the lock token or ETag it read.
import { randomInt } from 'node:crypto';
import { CloudFrontClient, GetDistributionCommand, GetDistributionConfigCommand, UpdateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient, UpdateSecretVersionStageCommand } from '@aws-sdk/client-secrets-manager';
import { GetWebACLCommand, UpdateWebACLCommand, WAFV2Client, type UpdateWebACLCommandInput } from '@aws-sdk/client-wafv2';
import type { OriginHeader, SecretVersions, TrustedHeaderRule } from '../../rotation/origin-secret-rotation';

/** What the rotation changes (ENV.originSecretRotation, set by lib/origin-secret-rotation.ts). */
export interface OriginSecretConfig {
  readonly webAcl: { readonly name: string; readonly id: string; readonly scope: 'REGIONAL' | 'CLOUDFRONT' };
  readonly distributionId: string;
  readonly headerName: string;
}

/** The configuration from its JSON, or an error that names what is missing. */
export function originSecretConfig(json: string, variable: string): OriginSecretConfig {
  let config: Partial<OriginSecretConfig>;
  try {
    config = JSON.parse(json) as Partial<OriginSecretConfig>;
  } catch (error) {
    throw new Error(`${variable} is not JSON: ${(error as Error).message}`);
  }
  const missing = [
    !config.webAcl?.name && 'webAcl.name',
    !config.webAcl?.id && 'webAcl.id',
    !['REGIONAL', 'CLOUDFRONT'].includes(config.webAcl?.scope ?? '') && 'webAcl.scope (REGIONAL or CLOUDFRONT)',
    !config.distributionId && 'distributionId',
    !config.headerName && 'headerName',
  ].filter(Boolean);
  if (missing.length > 0) throw new Error(`${variable} lacks ${missing.join(', ')}`);
  return config as OriginSecretConfig;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** As long as the first value Secrets Manager made (48 letters and digits: over 280 bits), from Node's CSPRNG. */
export const randomSecretValue = (length = 48): string => Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** The secret's versions in Secrets Manager. */
export class SecretsManagerVersions implements SecretVersions {
  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  async describe() {
    const secret = await this.client.send(new DescribeSecretCommand({ SecretId: this.secretId }));
    return { rotationEnabled: secret.RotationEnabled === true, stagesByVersion: secret.VersionIdsToStages ?? {} };
  }

  async value(stage: 'AWSCURRENT' | 'AWSPENDING', versionId?: string): Promise<string | undefined> {
    try {
      return (await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId, VersionStage: stage, VersionId: versionId }))).SecretString;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  async putPending(versionId: string, value: string): Promise<void> {
    await this.client.send(new PutSecretValueCommand({ SecretId: this.secretId, ClientRequestToken: versionId, SecretString: value, VersionStages: ['AWSPENDING'] }));
  }

  async makeCurrent(versionId: string, fromVersionId: string): Promise<void> {
    await this.client.send(new UpdateSecretVersionStageCommand({ SecretId: this.secretId, VersionStage: 'AWSCURRENT', MoveToVersionId: versionId, RemoveFromVersionId: fromVersionId }));
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !(value instanceof Uint8Array);

/** A ByteMatchStatement on the header `name` (any case), or undefined. */
function headerMatch(statement: unknown, name: string): Json | undefined {
  const match = isObject(statement) ? statement.ByteMatchStatement : undefined;
  if (!isObject(match) || !isObject(match.FieldToMatch) || !isObject(match.FieldToMatch.SingleHeader)) return undefined;
  return String(match.FieldToMatch.SingleHeader.Name).toLowerCase() === name.toLowerCase() ? match : undefined;
}

/** Every OR of exactly two byte matches on the header, anywhere in `rules` (the API's JSON or a template's: the same names). */
function trustedHeaderPairs(rules: unknown, name: string): Json[][] {
  const pairs: Json[][] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!isObject(value)) return;
    const or = value.OrStatement;
    if (isObject(or) && Array.isArray(or.Statements)) {
      const matches = or.Statements.map((statement) => headerMatch(statement, name));
      if (matches.length === 2 && matches.every(Boolean)) {
        pairs.push(matches as Json[]);
        return;
      }
    }
    Object.values(value).forEach(walk);
  };
  walk(rules);
  return pairs;
}

const text = (searchString: unknown): string => (searchString instanceof Uint8Array ? new TextDecoder().decode(searchString) : String(searchString));

/**
 * The two values the rules accept for the header: every rule that leaves CloudFront's requests
 * out must say the same. Fails when there is none (lib/firewall.ts must OR two byte matches).
 */
export function trustedHeaderValues(rules: unknown, name: string): readonly [string, string] {
  const pairs = trustedHeaderPairs(rules, name).map((pair) => pair.map((match) => text(match.SearchString)) as [string, string]);
  if (pairs.length === 0) throw new Error(`The web ACL has no rule that matches either of two values of the ${name} header (lib/firewall.ts)`);
  if (new Set(pairs.map((pair) => JSON.stringify(pair))).size > 1) throw new Error(`The web ACL's rules accept different values of the ${name} header`);
  return pairs[0];
}

/** A copy of `rules` whose every OR on the header accepts `values`. */
export function withTrustedHeaderValues<T>(rules: T, name: string, values: readonly [string, string]): T {
  const copy = structuredClone(rules);
  const pairs = trustedHeaderPairs(copy, name);
  if (pairs.length === 0) throw new Error(`The web ACL has no rule that matches either of two values of the ${name} header (lib/firewall.ts)`);
  for (const pair of pairs) pair.forEach((match, i) => (match.SearchString = new TextEncoder().encode(values[i])));
  return copy;
}

/** The API's web ACL rule that trusts CloudFront's header. */
export class WafTrustedHeaderRule implements TrustedHeaderRule {
  constructor(
    private readonly client: WAFV2Client,
    private readonly webAcl: OriginSecretConfig['webAcl'],
    private readonly headerName: string,
  ) {}

  async accepted(): Promise<readonly [string, string]> {
    const { WebACL } = await this.client.send(new GetWebACLCommand({ Name: this.webAcl.name, Id: this.webAcl.id, Scope: this.webAcl.scope }));
    return trustedHeaderValues(WebACL?.Rules ?? [], this.headerName);
  }

  async accept(values: readonly [string, string]): Promise<void> {
    const { WebACL: acl, LockToken } = await this.client.send(new GetWebACLCommand({ Name: this.webAcl.name, Id: this.webAcl.id, Scope: this.webAcl.scope }));
    if (!acl || !LockToken) throw new Error(`The web ACL ${this.webAcl.name} was not found`);
    // everything UpdateWebACL takes, as it is: what it is not given, it removes
    const update: UpdateWebACLCommandInput = {
      Name: acl.Name,
      Id: acl.Id,
      Scope: this.webAcl.scope,
      LockToken,
      DefaultAction: acl.DefaultAction,
      Description: acl.Description,
      Rules: withTrustedHeaderValues(acl.Rules ?? [], this.headerName, values),
      VisibilityConfig: acl.VisibilityConfig,
      DataProtectionConfig: acl.DataProtectionConfig,
      CustomResponseBodies: acl.CustomResponseBodies,
      CaptchaConfig: acl.CaptchaConfig,
      ChallengeConfig: acl.ChallengeConfig,
      TokenDomains: acl.TokenDomains,
      AssociationConfig: acl.AssociationConfig,
      OnSourceDDoSProtectionConfig: acl.OnSourceDDoSProtectionConfig,
      ApplicationConfig: acl.ApplicationConfig,
    };
    await this.client.send(new UpdateWebACLCommand(update));
  }
}

/** The header the CloudFront distribution adds to its requests to the origins that have it (the API). */
export class CloudFrontOriginHeader implements OriginHeader {
  constructor(
    private readonly client: CloudFrontClient,
    private readonly distributionId: string,
    private readonly headerName: string,
  ) {}

  private headersIn(config: { Origins?: { Items?: { CustomHeaders?: { Items?: { HeaderName?: string; HeaderValue?: string }[] } }[] } } | undefined) {
    return (config?.Origins?.Items ?? []).flatMap((origin) => origin.CustomHeaders?.Items ?? []).filter((header) => header.HeaderName?.toLowerCase() === this.headerName.toLowerCase());
  }

  async value(): Promise<string | undefined> {
    const { DistributionConfig } = await this.client.send(new GetDistributionConfigCommand({ Id: this.distributionId }));
    const values = new Set(this.headersIn(DistributionConfig).map((header) => header.HeaderValue));
    if (values.size > 1) throw new Error(`The distribution's origins send different values of ${this.headerName}`);
    return [...values][0];
  }

  async set(value: string): Promise<void> {
    const { DistributionConfig, ETag } = await this.client.send(new GetDistributionConfigCommand({ Id: this.distributionId }));
    const headers = this.headersIn(DistributionConfig);
    if (!DistributionConfig || headers.length === 0) throw new Error(`The distribution ${this.distributionId} sends no ${this.headerName} header to any origin`);
    if (headers.every((header) => header.HeaderValue === value)) return;
    for (const header of headers) header.HeaderValue = value;
    await this.client.send(new UpdateDistributionCommand({ Id: this.distributionId, IfMatch: ETag, DistributionConfig }));
  }

  async deployed(): Promise<boolean> {
    const { Distribution } = await this.client.send(new GetDistributionCommand({ Id: this.distributionId }));
    return Distribution?.Status === 'Deployed';
  }
}
