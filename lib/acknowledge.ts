// cdk-nag's findings that are acknowledged, each next to the resource it is about, with the reason
// a security reviewer would ask for. `synth` fails on any finding not acknowledged here.
import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges cdk-nag rules on `scope` (and what it contains), rule id to reason: e.g.
 * `{ 'AwsSolutions-SQS3': 'It is a dead-letter queue.' }`, or one finding of a rule,
 * `'AwsSolutions-IAM5[Resource::*]'`.
 */
export function acknowledge(scope: IConstruct, reasons: Readonly<Record<string, string>>): void {
  for (const [rule, reason] of Object.entries(reasons)) {
    const pack = rule.slice(0, rule.indexOf('-'));
    Validations.of(scope).acknowledge({ id: `${pack}::${rule}`, reason });
  }
}

/**
 * Acknowledges findings whose ids hold a value known only once CDK has resolved the references
 * between stacks (a weak reference shows as its Fn::GetStackOutput, with an output name CDK
 * chooses then): worked out as the tree is validated, which comes after references are resolved
 * and before cdk-nag's checks run on the templates.
 */
export function acknowledgeOnceResolved(scope: IConstruct, reasons: () => Readonly<Record<string, string>>): void {
  scope.node.addValidation({
    validate: () => {
      acknowledge(scope, reasons());
      return [];
    },
  });
}

/** How cdk-nag names a function's versions in a finding: `<LogicalId.Arn>:*`. */
export function versionsOf(fn: IFunction): string {
  const stack = Stack.of(fn);
  return `<${stack.resolve(stack.getLogicalId(fn.node.defaultChild as CfnElement))}.Arn>:*`;
}

/**
 * How cdk-nag shows a resource in a finding's id: its intrinsics flattened, a reference to a
 * pseudo parameter as `<AWS::AccountId>`, an attribute as `<LogicalId.Arn>`, and any other
 * intrinsic (a weak reference to another stack's output, Fn::GetStackOutput) as its JSON.
 */
export function asNagShows(scope: IConstruct, value: string): string {
  const flat = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const intrinsic = part as Record<string, any>;
    if (intrinsic.Ref) return `<${intrinsic.Ref}>`;
    if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
    if (intrinsic['Fn::Join']) return intrinsic['Fn::Join'][1].map(flat).join(intrinsic['Fn::Join'][0]);
    if (intrinsic['Fn::GetStackOutput']) return JSON.stringify(part);
    throw new Error(`cannot show ${JSON.stringify(part)} as cdk-nag does`);
  };
  return flat(Stack.of(scope).resolve(value));
}
