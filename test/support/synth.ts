// The app as bin/app.ts builds it (lib/platform.ts), synthesised in the test's process: one
// stage's five stacks with cdk.json's context, cdk-nag's checks included. Bundling (esbuild, for
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
  /** each stack's template, by what the stack is (the journeys stack is still named <name>-app) */
  readonly templates: Record<StackRole, any>;
  /**
   * the stacks in the stage's region (data, app, web, monitoring) as one template, as
   * CloudFormation would have them were they one stack: each weak reference from one to another
   * (Fn::GetStackOutput) replaced by the value of the output it names. References to the edge
   * stack, in us-east-1, stay as they are.
   */
  readonly regional: any;
  /** removes the assembly's directory */
  dispose(): void;
}

/** The stacks of a stage, as PlatformStacks names them. */
export const STACK_ROLES = ['edge', 'data', 'app', 'web', 'monitoring'] as const;
export type StackRole = (typeof STACK_ROLES)[number];

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
  const templates = Object.fromEntries(STACK_ROLES.map((role) => [role, template(stacks[role].stackName)])) as Record<StackRole, any>;
  return {
    stacks,
    assembly,
    templates,
    regional: merge(REGIONAL.map((role) => ({ name: stacks[role].stackName, region: stacks[role].region, template: templates[role] }))),
    dispose: () => fs.rmSync(outdir, { recursive: true, force: true }),
  };
}

const REGIONAL = ['data', 'app', 'web', 'monitoring'] as const;

/**
 * Templates merged into one, each Fn::GetStackOutput naming one of them replaced by the value of
 * the output it names. Fails on a reference to an output the stack does not have, or to it in
 * another region, and on two resources or outputs of the same logical id.
 */
function merge(parts: readonly { readonly name: string; readonly region: string; readonly template: any }[]): any {
  const byName = new Map(parts.map((part) => [part.name, part]));
  const follow = (value: any): any => {
    if (Array.isArray(value)) return value.map(follow);
    if (!value || typeof value !== 'object') return value;
    const reference = value['Fn::GetStackOutput'];
    const producer = reference && byName.get(reference.StackName);
    if (producer) {
      if (reference.Region !== producer.region) throw new Error(`${JSON.stringify(value)}: ${producer.name} is in ${producer.region}`);
      const output = producer.template.Outputs?.[reference.OutputName];
      if (!output) throw new Error(`${JSON.stringify(value)}: ${producer.name} has no output ${reference.OutputName}`);
      return follow(output.Value);
    }
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, follow(inner)]));
  };
  const union = (section: string) => {
    const merged: Record<string, unknown> = {};
    for (const part of parts) {
      for (const [id, item] of Object.entries<any>(part.template[section] ?? {})) {
        if (id in merged) throw new Error(`${section} ${id} is in two stacks, one of them ${part.name}`);
        merged[id] = follow(item);
      }
    }
    return merged;
  };
  return { Resources: union('Resources'), Outputs: union('Outputs') };
}

/** A template value as text: each Ref written as ${Name}, each Fn::GetAtt as ${Id.Attribute}, through Fn::Join; any other intrinsic as JSON. */
export function flat(value: any): string {
  if (typeof value === 'string') return value;
  if (value.Ref) return `\${${value.Ref}}`;
  if (value['Fn::GetAtt']) return `\${${value['Fn::GetAtt'].join('.')}}`;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(flat).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}
