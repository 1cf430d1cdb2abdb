#!/usr/bin/env node
// The CDK app: one stage's stacks (-c stage=dev|prod, dev when none), in the region cdk.json
// names (checked against the regions the agency allows), with cdk-nag's checks run on the
// synthesised templates (lib/platform.ts).
import { App } from 'aws-cdk-lib';
import { definePlatform } from '../lib/platform';

const app = new App();
try {
  definePlatform(app);
} catch (error) {
  // a setting that is wrong: say which, without a stack trace
  console.error(`\n${(error as Error).message}\n`);
  process.exit(1);
}
