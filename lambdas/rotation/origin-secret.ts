// Secrets Manager's rotation function for the secret CloudFront sends the API: one step of the
// rotation per invocation (lambdas/rotation/origin-secret-rotation.ts), with the web ACL and the
// distribution the configuration names. In AWS only: WAF and CloudFront have no local stand-in.
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { WAFV2Client } from '@aws-sdk/client-wafv2';
import type { SecretsManagerRotationEvent } from 'aws-lambda';
import { rotateOriginSecret, type RotationDeps } from './origin-secret-rotation';
import { CloudFrontOriginHeader, SecretsManagerVersions, WafTrustedHeaderRule, originSecretConfig, randomSecretValue } from '../adapters/aws/origin-secret';
import { log } from '../adapters/aws/logger';
import { ENV, requireEnv } from '../environment';
import { logger, step } from '../steps/runtime';

const config = originSecretConfig(requireEnv(ENV.originSecretRotation), ENV.originSecretRotation);
const secrets = new SecretsManagerClient({});
const deps: Omit<RotationDeps, 'secret'> = {
  webAcl: new WafTrustedHeaderRule(new WAFV2Client({}), config.webAcl, config.headerName),
  distribution: new CloudFrontOriginHeader(new CloudFrontClient({}), config.distributionId, config.headerName),
  newValue: () => randomSecretValue(),
  wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  // CloudFront usually deploys a change in a few minutes: 13 minutes, within the function's 15
  deployPolling: { everyMs: 20_000, attempts: 40 },
  log,
};

export const handler = step(async (event: SecretsManagerRotationEvent) => {
  logger.info('origin secret rotation', { step: event.Step, token: event.ClientRequestToken });
  await rotateOriginSecret({ ...deps, secret: new SecretsManagerVersions(secrets, event.SecretId) }, { step: event.Step, token: event.ClientRequestToken });
});
