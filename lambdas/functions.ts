// The function registry: every Lambda function of the platform, what starts it (an HTTP route, a
// journey step, the milestone topic, a schedule) and what it needs. CDK builds, grants, configures
// and alarms from it; the local platform serves and runs from it; the cold-start benchmark
// measures every entry. A function that is not here does not exist.
import { JOURNEY_PREFIXES, type Journey } from './domain/shared/reference';
import type { Stage } from './domain/cases/case';
import { smsFilterPolicy } from './notify/subscriptions';
import type { Need } from './environment';

export type { Need };

/** Every function's memory in MB (CDK configures it; the usage meter prices its duration with it). */
export const FUNCTION_MEMORY_MB = 256;

export type Access = 'public' | 'caseworker';

/**
 * What a request to a public address carries that a guesser wants: a case's reference, or a date
 * of birth; both together mean the date of birth is checked against the case (lambdas/http/rate-limits.ts
 * limits these). A `{reference}` in the path says 'reference' by itself.
 */
export type Takes = 'reference' | 'date-of-birth';

interface FunctionBase {
  /** the function's name in CDK and on the dashboard, e.g. "GetStatus" */
  readonly name: string;
  /** the handler module under lambdas/, without extension */
  readonly entry: string;
  readonly description: string;
  readonly needs: readonly Need[];
  /** for 'journeys:start': which journeys */
  readonly journeys?: readonly Journey[];
}

export interface RouteSpec extends FunctionBase {
  readonly trigger: 'route';
  readonly method: 'GET' | 'POST';
  /** API Gateway resource path, with {parameters} */
  readonly path: string;
  readonly access: Access;
  readonly takes?: readonly Takes[];
}

export interface StepSpec extends FunctionBase {
  readonly trigger: 'step';
  /** the `${...}` placeholder in the journey definition that names this function */
  readonly substitution: string;
  /** the stages the step can move a case to, so tests can check each has citizen text */
  readonly stages: readonly Stage[];
}

export interface SubscriberSpec extends FunctionBase {
  readonly trigger: 'milestones';
  /** which milestones it hears about (an SNS subscription filter policy) */
  readonly filterPolicy: Readonly<Record<string, readonly string[]>>;
}

export interface ScheduledSpec extends FunctionBase {
  readonly trigger: 'schedule';
  readonly everyMinutes: number;
  readonly stages: readonly Stage[];
}

/** A page function: server-rendered HTML for one part of the site, at one or more addresses. */
export interface PageSpec extends FunctionBase {
  readonly trigger: 'page';
  /** each address it answers; a page function's open data (JSON, CSV) says so with `responds` (HTML otherwise) */
  readonly routes: readonly { readonly method: 'GET' | 'POST'; readonly path: string; readonly takes?: readonly Takes[]; readonly responds?: 'json' | 'csv' }[];
  readonly access: Access;
}

/**
 * Reads the SMS provider's delivery receipts: SNS's delivery-status logs for texts to phone
 * numbers (a CloudWatch Logs subscription in AWS; the local SNS sends one for each text it takes).
 */
export interface ReceiptsSpec extends FunctionBase {
  readonly trigger: 'sms-receipts';
}

/**
 * Rotates a secret for Secrets Manager, on its schedule: invoked once for each of the four steps
 * Secrets Manager asks for (createSecret, setSecret, testSecret, finishSecret). It runs in AWS only:
 * what it changes (a web ACL, a CloudFront distribution) has no local stand-in.
 */
export interface RotationSpec extends FunctionBase {
  readonly trigger: 'secret-rotation';
  /** days between rotations */
  readonly everyDays: number;
}

export type FunctionSpec = RouteSpec | PageSpec | StepSpec | SubscriberSpec | ScheduledSpec | ReceiptsSpec | RotationSpec;

/** One address the site answers, JSON (the API) or HTML (the pages): the route table CDK and the local server share. */
export interface HttpRoute {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly access: Access;
  readonly responds: 'json' | 'html' | 'csv';
  /**
   * how a caller proves who they are: a caseworker's token in the Authorization header (the JSON
   * caseworker API: Cognito's authoriser in AWS, the development tokens locally), the console's
   * session cookie (checked by the page function itself: a browser never sends a token), or not at all
   */
  readonly signedInBy: 'token' | 'session' | 'nobody';
  readonly takes?: readonly Takes[];
  /** the function that answers it */
  readonly fn: RouteSpec | PageSpec;
}

const route = (fn: Omit<RouteSpec, 'trigger'>): RouteSpec => ({ trigger: 'route', ...fn });
const page = (fn: Omit<PageSpec, 'trigger'>): PageSpec => ({ trigger: 'page', ...fn });
// Every page links to the fingerprinted styles and script.
const PAGE_NEEDS = ['assets:link'] as const;
const step = (fn: Omit<StepSpec, 'trigger'>): StepSpec => ({ trigger: 'step', ...fn });

export const FUNCTIONS: readonly FunctionSpec[] = [
  // The API: citizens
  route({ name: 'SubmitApplication', method: 'POST', path: '/applications', entry: 'api/submit-application', access: 'public', takes: ['date-of-birth'], needs: ['cases:write', 'journeys:start', 'milestones:publish'], journeys: ['application'], description: 'A citizen applies' }),
  route({ name: 'SubmitRenewal', method: 'POST', path: '/renewals', entry: 'api/submit-renewal', access: 'public', takes: ['reference', 'date-of-birth'], needs: ['cases:write', 'journeys:start', 'milestones:publish'], journeys: ['renewal'], description: 'A citizen renews an approved permit' }),
  route({ name: 'SubmitAppeal', method: 'POST', path: '/appeals', entry: 'api/submit-appeal', access: 'public', takes: ['reference', 'date-of-birth'], needs: ['cases:write', 'journeys:start', 'milestones:publish'], journeys: ['appeal'], description: 'A citizen appeals against a refusal' }),
  route({ name: 'GetStatus', method: 'GET', path: '/status/{reference}', entry: 'api/get-status', access: 'public', needs: ['cases:read', 'performance:read'], description: 'A citizen checks the status of a case' }),
  route({ name: 'AnswerInformation', method: 'POST', path: '/status/{reference}/information', entry: 'api/answer-information', access: 'public', takes: ['reference', 'date-of-birth'], needs: ['cases:write', 'journeys:answer', 'milestones:publish'], description: 'A citizen sends the information a caseworker asked for' }),
  // The API: caseworkers
  route({ name: 'ListCases', method: 'GET', path: '/cases', entry: 'api/list-cases', access: 'caseworker', needs: ['cases:queue'], description: 'A caseworker queue, oldest first' }),
  route({ name: 'GetCase', method: 'GET', path: '/cases/{reference}', entry: 'api/get-case', access: 'caseworker', needs: ['cases:read'], description: 'A whole case, for a caseworker' }),
  route({ name: 'Decide', method: 'POST', path: '/cases/{reference}/decision', entry: 'api/decide', access: 'caseworker', needs: ['cases:write', 'journeys:answer'], description: 'A caseworker decides' }),
  route({ name: 'RecordDelay', method: 'POST', path: '/cases/{reference}/delay', entry: 'api/record-delay', access: 'caseworker', needs: ['cases:write', 'milestones:publish'], description: 'A caseworker explains a delay' }),
  // The citizen pages (HTML; lambdas/pages): the same rules as the API, in a browser
  page({ name: 'CheckStatusPages', entry: 'pages/check-status', access: 'public', needs: [...PAGE_NEEDS, 'cases:read', 'performance:read'], description: 'Pages: check a status by reference, the confirmation after applying, and the service\'s statements', routes: [
    { method: 'GET', path: '/' },
    // ?reference=, from the form on /
    { method: 'GET', path: '/track', takes: ['reference'] },
    { method: 'GET', path: '/track/{reference}' },
    { method: 'GET', path: '/confirmation/{reference}' },
    // what every public-sector service publishes: how accessible it is, what it does with personal data, who to contact
    { method: 'GET', path: '/accessibility' },
    { method: 'GET', path: '/privacy' },
    { method: 'GET', path: '/contact' },
    // any other address: a page that says there is nothing there (JSON to a client that asks for it)
    { method: 'GET', path: '/{proxy+}' },
  ] }),
  page({ name: 'ApplyPages', entry: 'pages/apply', access: 'public', needs: [...PAGE_NEEDS, 'cases:write', 'journeys:start', 'milestones:publish'], journeys: ['application'], description: 'Pages: apply for a service, from a form the service catalogue describes', routes: [
    { method: 'GET', path: '/apply' },
    { method: 'GET', path: '/apply/{service}' },
    { method: 'POST', path: '/apply/{service}', takes: ['date-of-birth'] },
    { method: 'POST', path: '/apply/{service}/submit', takes: ['date-of-birth'] },
  ] }),
  page({ name: 'RenewPages', entry: 'pages/renew', access: 'public', needs: [...PAGE_NEEDS, 'cases:write', 'journeys:start', 'milestones:publish'], journeys: ['renewal'], description: 'Pages: renew an approved permit', routes: [
    { method: 'GET', path: '/track/{reference}/renew' },
    { method: 'POST', path: '/track/{reference}/renew', takes: ['reference', 'date-of-birth'] },
  ] }),
  page({ name: 'AppealPages', entry: 'pages/appeal', access: 'public', needs: [...PAGE_NEEDS, 'cases:write', 'journeys:start', 'milestones:publish'], journeys: ['appeal'], description: 'Pages: appeal against a refusal', routes: [
    { method: 'GET', path: '/track/{reference}/appeal' },
    { method: 'POST', path: '/track/{reference}/appeal', takes: ['reference', 'date-of-birth'] },
  ] }),
  page({ name: 'AnswerInformationPages', entry: 'pages/answer-information', access: 'public', needs: [...PAGE_NEEDS, 'cases:write', 'journeys:answer', 'milestones:publish'], description: 'Pages: send the information a caseworker asked for', routes: [
    { method: 'GET', path: '/track/{reference}/answer' },
    { method: 'POST', path: '/track/{reference}/answer', takes: ['reference', 'date-of-birth'] },
  ] }),
  page({ name: 'PerformancePages', entry: 'pages/performance', access: 'public', needs: [...PAGE_NEEDS, 'performance:read'], description: 'Pages: the published performance of each service, and the same figures as open data', routes: [
    { method: 'GET', path: '/performance' },
    { method: 'GET', path: '/performance.json', responds: 'json' },
    { method: 'GET', path: '/performance.csv', responds: 'csv' },
  ] }),
  // The caseworker console (HTML; lambdas/pages/caseworker). Its pages check the session cookie
  // themselves (lambdas/web/console.ts): API Gateway's authoriser wants a token in a header, and a
  // browser page never holds one. Signing in and out is open to anyone, as a sign-in page is. Every
  // console page knows the sign-in service: its sign-out form ends there.
  page({ name: 'CaseworkerSignInPages', entry: 'pages/caseworker/sign-in', access: 'public', needs: [...PAGE_NEEDS, 'sessions:write', 'caseworkers:sign-in'], description: 'Console: sign in through the user pool (authorisation code and PKCE), sign out', routes: [
    { method: 'GET', path: '/caseworker/sign-in' },
    { method: 'GET', path: '/caseworker/callback' },
    { method: 'POST', path: '/caseworker/sign-out' },
    { method: 'GET', path: '/caseworker/signed-out' },
  ] }),
  page({ name: 'CaseworkerQueuePages', entry: 'pages/caseworker/queues', access: 'caseworker', needs: [...PAGE_NEEDS, 'sessions:use', 'caseworkers:sign-in', 'cases:queue'], description: 'Console: the queues, due first, with filters', routes: [
    { method: 'GET', path: '/caseworker' },
    { method: 'GET', path: '/caseworker/queues/{queue}' },
  ] }),
  page({ name: 'CaseworkerCasePages', entry: 'pages/caseworker/cases', access: 'caseworker', needs: [...PAGE_NEEDS, 'sessions:use', 'caseworkers:sign-in', 'cases:write', 'journeys:answer', 'milestones:publish'], description: 'Console: a case on one page, and the decisions on it', routes: [
    // a POST: what is typed (a name, a phone number, by mistake) never goes into an address
    { method: 'POST', path: '/caseworker/find' },
    { method: 'GET', path: '/caseworker/cases/{reference}' },
    { method: 'GET', path: '/caseworker/cases/{reference}/{action}' },
    { method: 'POST', path: '/caseworker/cases/{reference}/{action}' },
  ] }),
  // The journeys' steps (statemachines/journey.asl.json)
  step({ name: 'CheckDetails', substitution: 'CheckDetailsFunctionArn', entry: 'steps/check-details', needs: ['cases:write', 'milestones:publish', 'performance:write'], stages: ['checks-complete'], description: 'Automated checks and the service standard' }),
  step({ name: 'AwaitDecision', substitution: 'AwaitDecisionFunctionArn', entry: 'steps/await-decision', needs: ['cases:write', 'milestones:publish'], stages: ['awaiting-decision', 'escalated'], description: 'Queues a case for a caseworker decision (callback)' }),
  step({ name: 'AwaitInformation', substitution: 'AwaitInformationFunctionArn', entry: 'steps/await-information', needs: ['cases:write', 'milestones:publish'], stages: ['information-needed'], description: 'Asks the citizen for more information (callback)' }),
  step({ name: 'ResumeReview', substitution: 'ResumeReviewFunctionArn', entry: 'steps/resume-review', needs: ['cases:write'], stages: [], description: 'Returns a case to the caseworker queue after a request for information' }),
  step({ name: 'RecordOutcome', substitution: 'RecordOutcomeFunctionArn', entry: 'steps/record-outcome', needs: ['cases:write', 'milestones:publish', 'performance:write'], stages: ['approved', 'refused'], description: 'Records an approval or refusal' }),
  step({ name: 'PutOnHold', substitution: 'PutOnHoldFunctionArn', entry: 'steps/put-on-hold', needs: ['cases:write', 'milestones:publish'], stages: ['on-hold'], description: 'Puts a case on hold when a step keeps failing' }),
  // Subscribers to the milestone topic
  { trigger: 'milestones', name: 'SmsNotifier', entry: 'notify/sms-notifier', needs: ['cases:write', 'sms:send', 'performance:write'], filterPolicy: smsFilterPolicy, description: 'Texts the citizen at milestones, in their language' },
  // Whether each text reached the phone: the SMS provider's delivery receipts
  { trigger: 'sms-receipts', name: 'SmsReceipts', entry: 'notify/sms-receipts', needs: ['cases:write', 'performance:write'], description: 'Records whether each text reached the phone, from the SMS provider\'s delivery receipts' },
  // Scheduled jobs (EventBridge Scheduler in AWS, a timer locally); reminders are due by the day, so hourly is prompt enough
  { trigger: 'schedule', name: 'RenewalReminders', entry: 'scheduled/renewal-reminders', needs: ['cases:write', 'cases:queue', 'milestones:publish'], everyMinutes: 60, stages: ['renewal-due', 'expired'], description: 'Moves permits that run out soon to "renewal due", and those past their end to "expired", and tells the citizen' },
  // Where each queue has got to, for citizens' statuses, and the estimates' 90 days moved on
  { trigger: 'schedule', name: 'PublishPositions', entry: 'scheduled/publish-positions', needs: ['cases:queue', 'performance:write'], everyMinutes: 15, stages: [], description: 'Publishes where each service\'s queues have got to and works out the estimates again' },
  // Breaking the silence: working hours only, so hourly is soon enough
  { trigger: 'schedule', name: 'StillWorkingTexts', entry: 'scheduled/still-working', needs: ['cases:write', 'cases:queue', 'milestones:publish'], everyMinutes: 60, stages: [], description: 'Tells citizens whose case has been quiet for too long that it is still being worked on' },
  // Secrets rotated on a schedule: the one CloudFront sends the API, monthly
  { trigger: 'secret-rotation', name: 'OriginSecretRotation', entry: 'rotation/origin-secret', needs: ['origin-secret:rotate'], everyDays: 30, description: "Rotates the secret CloudFront sends the API: the API's web ACL takes the old and the new value while CloudFront changes over" },
];

/** The JSON API's routes. */
export const ROUTES: readonly RouteSpec[] = FUNCTIONS.filter((fn): fn is RouteSpec => fn.trigger === 'route');
export const PAGES: readonly PageSpec[] = FUNCTIONS.filter((fn): fn is PageSpec => fn.trigger === 'page');
/** Every address the site answers: the API's routes and the pages'. */
export const HTTP_ROUTES: readonly HttpRoute[] = [
  ...ROUTES.map((fn): HttpRoute => ({ method: fn.method, path: fn.path, access: fn.access, responds: 'json', signedInBy: fn.access === 'caseworker' ? 'token' : 'nobody', takes: fn.takes, fn })),
  ...PAGES.flatMap((fn) => fn.routes.map((r): HttpRoute => ({ ...r, access: fn.access, responds: r.responds ?? 'html', signedInBy: fn.access === 'caseworker' ? 'session' : 'nobody', fn }))),
];
/** The functions that answer HTTP requests. */
export const HTTP_FUNCTIONS: readonly (RouteSpec | PageSpec)[] = [...ROUTES, ...PAGES];
export const STEPS: readonly StepSpec[] = FUNCTIONS.filter((fn): fn is StepSpec => fn.trigger === 'step');
export const SUBSCRIBERS: readonly SubscriberSpec[] = FUNCTIONS.filter((fn): fn is SubscriberSpec => fn.trigger === 'milestones');
export const SCHEDULED: readonly ScheduledSpec[] = FUNCTIONS.filter((fn): fn is ScheduledSpec => fn.trigger === 'schedule');
export const RECEIPTS: readonly ReceiptsSpec[] = FUNCTIONS.filter((fn): fn is ReceiptsSpec => fn.trigger === 'sms-receipts');
export const ROTATIONS: readonly RotationSpec[] = FUNCTIONS.filter((fn): fn is RotationSpec => fn.trigger === 'secret-rotation');

/** Every journey runs this one definition, deployed as one state machine per journey. */
export const JOURNEY_DEFINITION = 'statemachines/journey.asl.json';
export const JOURNEYS = Object.keys(JOURNEY_PREFIXES) as readonly Journey[];

/**
 * Stages a case reaches outside its journey's steps: where it starts, on hold when its journey
 * cannot be started, and what the scheduled jobs move it to (an appeal's outcome is final, so it
 * is never reminded to renew).
 */
export const stagesOutsideSteps = (journey: Journey): readonly Stage[] => ['received', 'on-hold', ...(journey === 'appeal' ? [] : SCHEDULED.flatMap((job) => job.stages))];

export function functionNamed(name: string): FunctionSpec {
  const found = FUNCTIONS.find((fn) => fn.name === name);
  if (!found) throw new Error(`no function called ${name} in lambdas/functions.ts`);
  return found;
}
