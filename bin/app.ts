#!/usr/bin/env node
// The CDK app: the JourneyTracker stack, in the account and region the CLI is pointed at, and the
// CloudFront web ACL's stack beside it in us-east-1 (where CloudFront web ACLs must be). The
// region is always explicit, as a reference across regions needs: eu-west-2 (London) when the
// CLI names none, e.g. to synthesise offline.
import { App, Tags } from 'aws-cdk-lib';
import { CLOUDFRONT_WAF_REGION, EdgeFirewallStack } from '../lib/edge-firewall';
import { JourneyTrackerStack } from '../lib/journey-tracker-stack';

const DEFAULT_REGION = 'eu-west-2';

const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION || DEFAULT_REGION;
const context = (name: string): string => String(app.node.tryGetContext(name) ?? '').trim();

const edge = new EdgeFirewallStack(app, 'JourneyTrackerEdge', {
  description: 'Journey tracker: the web ACL in front of its CloudFront distribution',
  env: { account, region: CLOUDFRONT_WAF_REGION },
});

const siteDomain = context('siteDomain');
const siteCertificateArn = context('siteCertificateArn');
if (Boolean(siteDomain) !== Boolean(siteCertificateArn)) throw new Error('Give both -c siteDomain=... and -c siteCertificateArn=... (an ACM certificate in us-east-1), or neither');

new JourneyTrackerStack(app, 'JourneyTracker', {
  description: 'Journey and status tracker for public services',
  env: { account, region },
  edgeWebAclArn: edge.webAclArn,
  // e.g. -c siteDomain=permits.example.gov.uk -c siteCertificateArn=arn:aws:acm:us-east-1:...
  siteDomain: siteDomain ? { name: siteDomain, certificateArn: siteCertificateArn } : undefined,
  // e.g. -c signInDomainPrefix=permits-sign-in: <prefix>.auth.<region>.amazoncognito.com; the stack's name and account when none
  signInDomainPrefix: context('signInDomainPrefix') || undefined,
  alarmEmail: context('alarmEmail') || undefined,
  // e.g. -c feedSubscriberAccounts=111111111111,222222222222
  feedSubscriberAccounts: context('feedSubscriberAccounts')
    .split(',')
    .map((account) => account.trim())
    .filter((account) => /^\d{12}$/.test(account)),
});
Tags.of(app).add('service', 'journey-tracker');
