#!/usr/bin/env node
// The CDK app: the JourneyTracker stack, in the account and region the CLI is pointed at (or
// environment-agnostic when there is none, e.g. to synthesise offline).
import { App, Tags } from 'aws-cdk-lib';
import { JourneyTrackerStack } from '../lib/journey-tracker-stack';

const app = new App();
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;

new JourneyTrackerStack(app, 'JourneyTracker', {
  description: 'Journey and status tracker for public services',
  env: account || region ? { account, region } : undefined,
  alarmEmail: app.node.tryGetContext('alarmEmail') || undefined,
  // e.g. -c feedSubscriberAccounts=111111111111,222222222222
  feedSubscriberAccounts: String(app.node.tryGetContext('feedSubscriberAccounts') ?? '')
    .split(',')
    .map((account) => account.trim())
    .filter((account) => /^\d{12}$/.test(account)),
});
Tags.of(app).add('service', 'journey-tracker');
