// The app as bin/app.ts builds it (lib/platform.ts), synthesised in the test's process: one
// stage's three stacks with cdk.json's context, cdk-nag's checks included. Bundling (esbuild, for
// every function) is skipped unless asked for: the templates are the same, only the code assets
// are placeholders.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import cdkJson from '../../cdk.json';
import { definePlatform, type PlatformStacks } from '../../lib/platform';

export interface SynthOptions {
  readonly stage?: 'dev' | 'prod';
  /** more context, as -c name=value would give */
  readonly context?: Record<string, unknown>;
  /** run esbuild for every function (slow); placeholders otherwise */
  readonly bundle?: boolean;
  /** the process environment the CLI would give (CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION) */
  readonly environment?: NodeJS.ProcessEnv;
}

export interface Synthesised {
  readonly stacks: PlatformStacks;
  readonly assembly: CloudAssembly;
  /** each stack's template, by the stack's name */
  readonly templates: Record<'data' | 'app' | 'edge', any>;
  /** removes the assembly's directory */
  dispose(): void;
}

export function synthesiseStage(options: SynthOptions = {}): Synthesised {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-tracker-synth-'));
  const app = new App({
    outdir,
    context: {
      ...cdkJson.context,
      ...(options.stage && { stage: options.stage }),
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...options.context,
    },
  });
  const stacks = definePlatform(app, options.environment ?? {});
  const assembly = app.synth();
  const template = (name: string) => assembly.getStackByName(name).template;
  return {
    stacks,
    assembly,
    templates: { data: template(stacks.data.stackName), app: template(stacks.app.stackName), edge: template(stacks.edge.stackName) },
    dispose: () => fs.rmSync(outdir, { recursive: true, force: true }),
  };
}
