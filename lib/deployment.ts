// Where and how the platform is deployed, read once from the CDK context (cdk.json, -c ...) and
// checked before any stack is built: the stage (dev or prod), the region (one the agency allows:
// personal data stays where it says), and the settings that differ between stages. Everything
// that depends on the stage reads it from here, so dev and prod differ in one visible place.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Node } from 'constructs';
import { FUNCTIONS } from '../lambdas/functions';

export const STAGES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGES)[number];

export interface Deployment {
  readonly stage: StageName;
  /** where everything but the CloudFront web ACL goes: one of allowedRegions */
  readonly region: string;
  readonly allowedRegions: readonly string[];
  /** the stage's account (cdk.json's `<stage>Account`), else the CLI's; undefined for an offline synth (CloudFormation fills it in) */
  readonly account?: string;
  /** keep data when a stack goes: retain policies, deletion and termination protection, backups */
  readonly keepsData: boolean;
  /** where alarms are emailed (a subscription to the ops topic); none in dev unless given */
  readonly alarmEmail?: string;
  /** the account's monthly SMS spend limit in US dollars (SNS text messaging preferences): ops are warned at 80% */
  readonly smsMonthlySpendLimitUsd: number;
  /**
   * public functions' reserved concurrency, each (`<stage>ReservedConcurrency`): what one function
   * may take from the account; 0 reserves none, and the functions share the account's unreserved pool
   */
  readonly publicConcurrency: number;
  /** the names of this stage's stacks (see lib/platform.ts for what each holds) */
  readonly stackNames: { readonly data: string; readonly app: string; readonly web: string; readonly monitoring: string; readonly edge: string };
  /**
   * what must be settled before this stage may be deployed: synth says so as a warning (it still
   * works offline, and in CI), and every stack of the stage carries a CloudFormation rule that
   * refuses to deploy it, so the first stack a deploy reaches stops it before anything changes
   */
  readonly refusals: readonly Refusal[];
  /**
   * whether this stage switches on the account's SMS delivery-status logs and reads the receipts
   * (lib/sms-receipts.ts): the logs and the setting are the account's and region's, so only one
   * stage per account may own them (`smsDeliveryReceiptsStages` in cdk.json; prod unless it says)
   */
  readonly ownsSmsDeliveryReceipts: boolean;
}

/** A reason a stage may not be deployed yet, with what to do about it. */
export interface Refusal {
  /** a construct id for the rule that carries it: letters only */
  readonly id: string;
  readonly message: string;
}

/** The settings that differ between stages, and what each stage reserves when cdk.json says nothing. */
const STAGE_SETTINGS: Record<StageName, { keepsData: boolean; reservedConcurrency: number }> = {
  // dev is for trying changes: destroyed with its stacks, and reserving nothing, so that it
  // deploys into a new account whose Lambda quota is still small
  dev: { keepsData: false, reservedConcurrency: 0 },
  prod: { keepsData: true, reservedConcurrency: 50 },
};

/** What Lambda always keeps unreserved in an account and region (UnreservedConcurrentExecutions' minimum). */
export const LAMBDA_UNRESERVED_MINIMUM = 100;
/** The quota a reservation is checked against: Lambda's "Concurrent executions" in Service Quotas. */
export const LAMBDA_CONCURRENCY_QUOTA_CODE = 'L-B99A9384';
/** What most accounts are raised to on request, and what to ask for when less would do. */
const USUAL_LAMBDA_QUOTA = 1000;

/** The functions that reserve concurrency: everything a citizen's request reaches (public routes and pages). */
export const PUBLIC_FUNCTIONS = FUNCTIONS.filter((fn) => 'access' in fn && fn.access === 'public');

const text = (node: Node, name: string): string => String(node.tryGetContext(name) ?? '').trim();

/**
 * What only a reviewed change to the repository may set: the regions personal data may be kept in
 * and each stage's account. Read from cdk.json itself, not from the context, which `-c` on any
 * command line could change.
 */
export interface ProjectSettings {
  readonly allowedRegions: readonly string[];
  /** the account each stage must be deployed to; any account when absent */
  readonly accounts: Partial<Record<StageName, string>>;
}

export function projectSettings(file = path.join(__dirname, '..', 'cdk.json')): ProjectSettings {
  const context = JSON.parse(fs.readFileSync(file, 'utf8')).context ?? {};
  const allowed = context.allowedRegions;
  return {
    allowedRegions: (Array.isArray(allowed) ? allowed : []).map((region: unknown) => String(region).trim()).filter(Boolean),
    accounts: Object.fromEntries(STAGES.map((stage) => [stage, String(context[`${stage}Account`] ?? '').trim()]).filter(([, account]) => account)),
  };
}

/**
 * The deployment the context describes, or an error that says what to change. `environment` is
 * the process's (CDK_DEFAULT_ACCOUNT, CDK_DEFAULT_REGION, which the CLI sets from the AWS profile).
 */
export function deploymentFrom(node: Node, environment: NodeJS.ProcessEnv = process.env, settings: ProjectSettings = projectSettings()): Deployment {
  const stage = text(node, 'stage') || 'dev';
  if (!(STAGES as readonly string[]).includes(stage)) throw new Error(`Unknown stage "${stage}": use -c stage=dev or -c stage=prod`);

  const { allowedRegions } = settings;
  if (allowedRegions.length === 0) throw new Error('Name the regions personal data may be kept in: "allowedRegions" in cdk.json, e.g. ["eu-west-2"]');
  // The context first (cdk.json's "region", or -c region=...): the AWS profile's region is only
  // used when the project names none, so a profile pointed elsewhere cannot move the data.
  const fromProfile = !text(node, 'region');
  const region = text(node, 'region') || environment.CDK_DEFAULT_REGION?.trim() || '';
  if (!region) throw new Error(`Say which region to deploy to: -c region=${allowedRegions[0]} (allowed: ${allowedRegions.join(', ')})`);
  if (!allowedRegions.includes(region)) {
    throw new Error(
      `Region ${region}${fromProfile ? " (your AWS profile's, as cdk.json names none)" : ''} is not one this agency allows for citizens' personal data (allowedRegions in cdk.json: ${allowedRegions.join(', ')}). ` +
        `Deploy with -c region=${allowedRegions[0]}, or add ${region} to allowedRegions in cdk.json only if the agency has agreed to keep data there.`,
    );
  }
  // A stage pinned to an account is deployed there or not at all: prod's data never lands in dev's account.
  const pinned = settings.accounts[stage as StageName];
  const credentials = environment.CDK_DEFAULT_ACCOUNT?.trim() || undefined;
  if (pinned && credentials && credentials !== pinned) {
    throw new Error(`The ${stage} stage deploys to account ${pinned} (${stage}Account in cdk.json), but your credentials are for account ${credentials}: use ${stage}'s credentials.`);
  }

  const limit = Number(text(node, 'smsMonthlySpendLimitUsd') || '1');
  if (!Number.isFinite(limit) || limit <= 0) throw new Error(`smsMonthlySpendLimitUsd must be the account's SMS spend limit in US dollars, a number above 0, not "${text(node, 'smsMonthlySpendLimitUsd')}"`);
  const alarmEmail = text(node, `${stage}AlarmEmail`) || text(node, 'alarmEmail') || undefined;
  if (alarmEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(alarmEmail)) throw new Error(`The alarm email "${alarmEmail}" is not an email address`);

  const receiptStages = node.tryGetContext('smsDeliveryReceiptsStages') as unknown;
  if (receiptStages !== undefined && !(Array.isArray(receiptStages) && receiptStages.every((owner) => (STAGES as readonly unknown[]).includes(owner)))) {
    throw new Error(`smsDeliveryReceiptsStages must list the stages that read SMS delivery receipts, e.g. ["prod"] (one per account and region), not ${JSON.stringify(receiptStages)}`);
  }

  const refusals: Refusal[] = [];
  if (STAGE_SETTINGS[stage as StageName].keepsData && !alarmEmail) {
    refusals.push({ id: 'AlarmsReachSomeone', message: `No one is subscribed to ${stage}'s alarms: set "${stage}AlarmEmail" in cdk.json (README, "Deploy to AWS").` });
  }
  const concurrency = reservedConcurrency(node, stage as StageName, region, settings);
  if (concurrency.refusal) refusals.push(concurrency.refusal);

  const name = `journey-tracker-${stage}`;
  return {
    stage: stage as StageName,
    region,
    allowedRegions,
    account: pinned ?? credentials,
    keepsData: STAGE_SETTINGS[stage as StageName].keepsData,
    publicConcurrency: concurrency.perFunction,
    alarmEmail,
    smsMonthlySpendLimitUsd: limit,
    stackNames: { data: `${name}-data`, app: `${name}-app`, web: `${name}-web`, monitoring: `${name}-monitoring`, edge: `${name}-edge` },
    ownsSmsDeliveryReceipts: ((receiptStages as string[] | undefined) ?? ['prod']).includes(stage),
    refusals,
  };
}

/** A whole number of at least `min`, from the context, or undefined when it is not set. */
function wholeNumber(node: Node, name: string, min: number, what: string): number | undefined {
  const given = text(node, name);
  if (!given) return undefined;
  const value = Number(given);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} in cdk.json must be ${what}, a whole number of at least ${min}, not "${given}"`);
  return value;
}

/**
 * The stage's reservation for each public function (`<stage>ReservedConcurrency`), checked against
 * the account's Lambda concurrency quota as the operator declares it (`<stage>LambdaConcurrencyQuota`):
 * Lambda refuses a reservation that would leave fewer than 100 unreserved, part-way through a
 * deploy. Where cdk.json pins both stages to one account, their reservations add up.
 */
function reservedConcurrency(node: Node, stage: StageName, region: string, settings: ProjectSettings): { perFunction: number; refusal?: Refusal } {
  const reservationOf = (of: StageName) => wholeNumber(node, `${of}ReservedConcurrency`, 0, `the concurrent executions ${of} reserves for each public function (0 reserves none)`) ?? STAGE_SETTINGS[of].reservedConcurrency;
  const perFunction = reservationOf(stage);
  const quotaSetting = `${stage}LambdaConcurrencyQuota`;
  const quota = wholeNumber(node, quotaSetting, 1, `the account's Lambda "Concurrent executions" quota in ${region}, as Service Quotas shows it (${LAMBDA_CONCURRENCY_QUOTA_CODE})`);
  if (perFunction === 0) return { perFunction };

  const functions = PUBLIC_FUNCTIONS.length;
  const other = STAGES.find((candidate) => candidate !== stage)!;
  const sharesAccount = Boolean(settings.accounts[stage]) && settings.accounts[stage] === settings.accounts[other];
  const othersReserve = sharesAccount ? reservationOf(other) * functions : 0;
  const reserved = perFunction * functions;
  const needed = reserved + othersReserve + LAMBDA_UNRESERVED_MINIMUM;
  const why =
    `${stage} reserves ${perFunction} concurrent executions for each of its ${functions} public functions (${stage}ReservedConcurrency in cdk.json): ${reserved} in all` +
    (sharesAccount ? `, and ${other}, in the same account, reserves ${othersReserve}` : '') +
    `; Lambda keeps ${LAMBDA_UNRESERVED_MINIMUM} unreserved, so the account needs a Lambda "Concurrent executions" quota of at least ${needed} in ${region}`;
  const ask =
    `Ask AWS for at least ${needed} (Service Quotas, AWS Lambda, "Concurrent executions", quota code ${LAMBDA_CONCURRENCY_QUOTA_CODE}, in ${region}: ` +
    `aws service-quotas request-service-quota-increase --service-code lambda --quota-code ${LAMBDA_CONCURRENCY_QUOTA_CODE} --desired-value ${Math.max(needed, USUAL_LAMBDA_QUOTA)} --region ${region})`;
  if (quota === undefined) {
    return {
      perFunction,
      refusal: {
        id: 'LambdaConcurrencyQuotaDeclared',
        message: `${why}. Say what the account's quota is in ${quotaSetting} in cdk.json (aws service-quotas get-service-quota --service-code lambda --quota-code ${LAMBDA_CONCURRENCY_QUOTA_CODE} --region ${region}); if it is less, ${ask[0].toLowerCase()}${ask.slice(1)}, or set ${stage}ReservedConcurrency to 0 (README, "Deploy to AWS").`,
      },
    };
  }
  if (quota < needed) {
    const fits = Math.max(0, Math.floor((quota - othersReserve - LAMBDA_UNRESERVED_MINIMUM) / functions));
    throw new Error(`${why}, but ${quotaSetting} in cdk.json says the account's quota is ${quota}. ${ask}, then set ${quotaSetting} to the quota AWS grants; or lower ${stage}ReservedConcurrency to ${fits} or less (0 reserves none).`);
  }
  return { perFunction };
}
