// The HTTP API, built from the one route table the local server also serves: the JSON API and
// the server-rendered pages, a resource per path, a function per registry entry (a page function
// answers several addresses), Cognito in front of the JSON caseworker routes, and API Gateway's own
// errors in the project's JSON error shape. CloudFront (lib/web.ts) puts the site in front of it.
//
// Built in two steps: the REST API first, then (addRoutes) the functions and routes. The console's
// functions are told the site's address, which is CloudFront's, and CloudFront needs the REST API
// first: see lib/web-stack.ts.
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
  type MethodDeploymentOptions,
  type RequestValidator,
} from 'aws-cdk-lib/aws-apigateway';
import { Size } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HTTP_FUNCTIONS, HTTP_ROUTES, type HttpRoute } from '../lambdas/functions';
import { DATE_OF_BIRTH_ROUTES, LOOKUP_ROUTES } from '../lambdas/http/rate-limits';
import { acknowledge } from './acknowledge';
import { PlatformFunction, LOG_RETENTION } from './platform-function';
import type { ApiRoutesProps } from './types';

/** The stage, and so the first segment of the API's own URL (and CloudFront's origin path). */
export const API_STAGE_NAME = 'v1';

// API Gateway's throttles count every client together (WAF limits each client: lib/firewall.ts).
const STAGE_THROTTLE = { throttlingRateLimit: 100, throttlingBurstLimit: 200 };
/** Public reads, and every public route that takes a reference or a date of birth, are where someone would guess, so they get less. */
export const PUBLIC_LOOKUP_THROTTLE = { throttlingRateLimit: 20, throttlingBurstLimit: 40 };
/**
 * Checking a date of birth (renewing, appealing, answering) gets least: 5 a second is 18,000 an
 * hour, more than a service's citizens renew, appeal and answer in a busy day, and it caps what a
 * guesser spread over many addresses (which WAF's per-client limit does not see) can try.
 */
export const DATE_OF_BIRTH_THROTTLE = { throttlingRateLimit: 5, throttlingBurstLimit: 10 };

/** The stage's method settings' key for a route: "//GET" is the root resource's GET. */
const methodKey = (route: HttpRoute) => `${route.path}/${route.method}`;

/** The path's parameters, e.g. reference and action, or proxy for {proxy+}. */
const pathParameters = (path: string): string[] => [...path.matchAll(/\{(\w+)\+?\}/g)].map((match) => match[1]);

export interface ApiProps {
  /** the deployment's stage (dev, prod), in the REST API's name */
  readonly stage: string;
}

export class Api extends Construct {
  readonly restApi: RestApi;
  private routeFunctions?: readonly PlatformFunction[];
  private readonly parameterValidator: RequestValidator;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const methodOptions: Record<string, MethodDeploymentOptions> = Object.fromEntries([
      ...[...HTTP_ROUTES.filter((route) => route.access === 'public' && route.method === 'GET'), ...LOOKUP_ROUTES].map((route) => [methodKey(route), PUBLIC_LOOKUP_THROTTLE]),
      // later entries win
      ...DATE_OF_BIRTH_ROUTES.map((route) => [methodKey(route), DATE_OF_BIRTH_THROTTLE]),
    ]);
    this.restApi = new RestApi(this, 'RestApi', {
      // API Gateway's metrics are by this name (and the API stage): one per deployment stage, or
      // dev's and prod's requests would count together in one account, and each stage's alarms fire on the other's
      restApiName: `journey-tracker-${props.stage}`,
      description: 'Journey tracker: the citizen pages, the public status API, the caseworker API and console',
      endpointTypes: [EndpointType.REGIONAL],
      // CloudFront cannot compress what it does not cache, so API Gateway gzips pages and JSON itself
      minCompressionSize: Size.kibibytes(1),
      // Access logs need API Gateway's account-level CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: API_STAGE_NAME,
        tracingEnabled: true,
        ...STAGE_THROTTLE,
        // API Gateway's own errors (a refused request, a failed integration), never requests' or responses' data
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        methodOptions,
        accessLogDestination: new LogGroupLogDestination(new LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION })),
        accessLogFormat: ACCESS_LOG_FORMAT,
      },
    });
    // The log group API Gateway would otherwise make for those errors itself, unencrypted and kept
    // for ever: made first, as every other log group, so the stage writes to this one.
    const executionLogs = new LogGroup(this, 'ExecutionLogs', { logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${API_STAGE_NAME}`, retention: LOG_RETENTION });
    this.restApi.deploymentStage.node.addDependency(executionLogs);
    acknowledge(this.restApi, {
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]':
        "API Gateway's account-wide role for writing its logs: AWS's managed policy for it is what API Gateway documents, and names only logs actions.",
    });
    // Every method is validated, for its path parameters. Its body would be validated against a
    // model for its content type, but no method has one (and without one, API Gateway validates
    // nothing): the handlers read each body with the project's own schemas
    // (lambdas/domain/shared/schema.ts), whose rules (text trimmed and normalised before its length is
    // counted, null as absent, the details a service asks for, dates that must exist) JSON Schema
    // draft 4 cannot say exactly, and which answer with a message per field. A model would refuse
    // some bodies the handler takes, and answer others with API Gateway's one "Invalid request
    // body". The handlers also refuse a body that is not JSON (415, naming the Content-Type to
    // send): API Gateway cannot refuse by content type for a proxy integration. See
    // docs/decisions.md, "WAF and its logs".
    this.parameterValidator = this.restApi.addRequestValidator('RequestValidator', { requestValidatorName: 'parameters-and-modelled-bodies', validateRequestParameters: true, validateRequestBody: true });
    this.addErrorResponses();
  }

  /** the functions that answer the routes (after addRoutes) */
  get functions(): readonly PlatformFunction[] {
    if (!this.routeFunctions) throw new Error('The API has no functions yet: call addRoutes first');
    return this.routeFunctions;
  }

  /** A function per registry entry that answers HTTP, and a method per address of the route table. */
  addRoutes(props: ApiRoutesProps): readonly PlatformFunction[] {
    if (this.routeFunctions) throw new Error('The API routes are already added');
    let authorizer: CognitoUserPoolsAuthorizer | undefined;
    const caseworkerAuthorizer = () =>
      (authorizer ??= new CognitoUserPoolsAuthorizer(this, 'CaseworkerAuthorizer', { cognitoUserPools: [props.caseworkerPool] }));

    this.routeFunctions = HTTP_FUNCTIONS.map((spec) => new PlatformFunction(this, spec, props.resources));
    // One permission per function for this API (any of its methods and stages), not two per
    // method (the stage's and the console's test invocation): a function answers only the routes
    // the table gives it anyway, and the API stays well within its stack's resources.
    const integrations = new Map(this.routeFunctions.map((fn) => [fn.registered.name, new LambdaIntegration(fn, { scopePermissionToMethod: false })]));
    for (const route of HTTP_ROUTES) {
      // Cognito's authoriser only on the JSON caseworker API, whose callers send an ID token in
      // the Authorization header. The console's pages are caseworker pages too, but a browser
      // sends them a session cookie and never a token: the authoriser would refuse every one of
      // them, so each page function checks the session itself (lambdas/web/console.ts).
      const authorised = route.signedInBy === 'token';
      // resourceForPath('/') is the root resource
      const method = this.restApi.root.resourceForPath(route.path).addMethod(route.method, integrations.get(route.fn.name)!, {
        ...(authorised ? { authorizationType: AuthorizationType.COGNITO, authorizer: caseworkerAuthorizer() } : { authorizationType: AuthorizationType.NONE }),
        requestValidator: this.parameterValidator,
        requestParameters: Object.fromEntries(pathParameters(route.path).map((name) => [`method.request.path.${name}`, true])),
      });
      if (!authorised) {
        const why = UNAUTHORISED[route.signedInBy];
        acknowledge(method, { 'AwsSolutions-APIG4': why, 'AwsSolutions-COG4': why });
      }
    }
    return this.routeFunctions;
  }

  /** API Gateway's own refusals (before a handler runs) in the same shape as the handlers'. */
  private addErrorResponses(): void {
    const headers = { 'Cache-Control': "'no-store'", 'X-Content-Type-Options': "'nosniff'" };
    const respond = (id: string, type: ResponseType, code: string, message: string, statusCode?: string) =>
      this.restApi.addGatewayResponse(id, { type, statusCode, responseHeaders: headers, templates: { 'application/json': errorTemplate(code, message) } });

    respond('Default4xx', ResponseType.DEFAULT_4XX, 'invalid-request', GATEWAY_MESSAGE);
    respond('Default5xx', ResponseType.DEFAULT_5XX, 'internal', JSON.stringify('Something went wrong on our side. Try again in a few minutes.'));
    respond('Unauthorized', ResponseType.UNAUTHORIZED, 'unauthorised', JSON.stringify('Sign in as a caseworker to use this. Send your token in the Authorization header.'));
    // the request validator's refusals (lib/api.ts): API Gateway's own words would say only "Invalid request body"
    respond('BadRequestParameters', ResponseType.BAD_REQUEST_PARAMETERS, 'invalid-request', JSON.stringify('Part of the address is missing, such as the case reference. Check the address against the README.'));
    respond('BadRequestBody', ResponseType.BAD_REQUEST_BODY, 'invalid-request', JSON.stringify('Send the request body as a JSON object, with the header Content-Type: application/json.'));
    respond('Throttled', ResponseType.THROTTLED, 'too-many-requests', JSON.stringify('There are too many requests just now. Wait a minute and try again.'));
    // With no IAM-authorised routes, API Gateway says "Missing Authentication Token" only for a
    // path that does not exist: answer 404, as the local server does.
    respond('NotFound', ResponseType.MISSING_AUTHENTICATION_TOKEN, 'not-found', JSON.stringify('There is nothing at this address. See the README for the API.'), '404');
  }
}

/** Why a method has no authoriser in front of it, for cdk-nag. */
const UNAUTHORISED: Record<Exclude<HttpRoute['signedInBy'], 'token'>, string> = {
  nobody:
    "A citizen's address (or the console's sign-in): citizens have no accounts. WAF limits each client and API Gateway throttles every route that takes a reference or a date of birth; a case is changed only with its reference and the applicant's date of birth.",
  session:
    "A caseworker console page: a browser sends it the session cookie, never a token, so Cognito's authoriser would refuse every page; the page function checks the session, and its CSRF token on every form (lambdas/web/console.ts).",
};

/** API Gateway's message for the error, already a quoted JSON string. */
const GATEWAY_MESSAGE = '$context.error.messageString';

const errorTemplate = (code: string, message: string): string => `{"error":{"code":${JSON.stringify(code)},"message":${message}}}`;

// The resource path, not the request path: a path would put citizens' references in the logs.
// No caller IP either: it is personal data, and throttling does not need it in the logs.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    requestTime: AccessLogField.contextRequestTime(),
    method: AccessLogField.contextHttpMethod(),
    resource: AccessLogField.contextResourcePath(),
    status: AccessLogField.contextStatus(),
    responseLength: AccessLogField.contextResponseLength(),
    responseLatency: AccessLogField.contextResponseLatency(),
    integrationLatency: AccessLogField.contextIntegrationLatency(),
    error: AccessLogField.contextErrorMessage(),
    caseworker: AccessLogField.contextAuthorizerClaims('cognito:username'),
    traceId: AccessLogField.contextXrayTraceId(),
  }),
);
