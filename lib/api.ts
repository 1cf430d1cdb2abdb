// The HTTP API, built from the one route table the local server also serves: the JSON API and
// the server-rendered pages, a resource per path, a function per registry entry (a page function
// answers several addresses), Cognito in front of the JSON caseworker routes, and API Gateway's own
// errors in the project's JSON error shape. CloudFront (lib/web.ts) puts the site in front of it.
//
// Built in two steps: the REST API first, then (addRoutes) the functions and routes. The console's
// functions are told the site's address, which is CloudFront's, and CloudFront needs the REST API
// first: see lib/journey-tracker-stack.ts.
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  CognitoUserPoolsAuthorizer,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  ResponseType,
  RestApi,
  type MethodDeploymentOptions,
} from 'aws-cdk-lib/aws-apigateway';
import { Size } from 'aws-cdk-lib';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HTTP_FUNCTIONS, HTTP_ROUTES } from '../lambdas/functions';
import { PlatformFunction, LOG_RETENTION } from './platform-function';
import type { ApiRoutesProps } from './types';

/** The stage, and so the first segment of the API's own URL (and CloudFront's origin path). */
export const API_STAGE_NAME = 'v1';

const STAGE_THROTTLE = { throttlingRateLimit: 100, throttlingBurstLimit: 200 };
/** Public reads are where someone would try to guess references, so they get less. */
const PUBLIC_READ_THROTTLE = { throttlingRateLimit: 20, throttlingBurstLimit: 40 };

export class Api extends Construct {
  readonly restApi: RestApi;
  private routeFunctions?: readonly PlatformFunction[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const methodOptions: Record<string, MethodDeploymentOptions> = Object.fromEntries(
      // "//GET" is the root resource's GET
      HTTP_ROUTES.filter((route) => route.access === 'public' && route.method === 'GET').map((route) => [`${route.path}/${route.method}`, PUBLIC_READ_THROTTLE]),
    );
    this.restApi = new RestApi(this, 'RestApi', {
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
        methodOptions,
        accessLogDestination: new LogGroupLogDestination(new LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION })),
        accessLogFormat: ACCESS_LOG_FORMAT,
      },
    });
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
    const integrations = new Map(this.routeFunctions.map((fn) => [fn.registered.name, new LambdaIntegration(fn)]));
    for (const route of HTTP_ROUTES) {
      // Cognito's authoriser only on the JSON caseworker API, whose callers send an ID token in
      // the Authorization header. The console's pages are caseworker pages too, but a browser
      // sends them a session cookie and never a token: the authoriser would refuse every one of
      // them, so each page function checks the session itself (lambdas/web/console.ts).
      const authorised = route.signedInBy === 'token';
      // resourceForPath('/') is the root resource
      this.restApi.root
        .resourceForPath(route.path)
        .addMethod(
          route.method,
          integrations.get(route.fn.name)!,
          authorised ? { authorizationType: AuthorizationType.COGNITO, authorizer: caseworkerAuthorizer() } : { authorizationType: AuthorizationType.NONE },
        );
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
    respond('Throttled', ResponseType.THROTTLED, 'too-many-requests', JSON.stringify('There are too many requests just now. Wait a minute and try again.'));
    // With no IAM-authorised routes, API Gateway says "Missing Authentication Token" only for a
    // path that does not exist: answer 404, as the local server does.
    respond('NotFound', ResponseType.MISSING_AUTHENTICATION_TOKEN, 'not-found', JSON.stringify('There is nothing at this address. See the README for the API.'), '404');
  }
}

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
