// The HTTP API, built from the one route table the local server also serves: the JSON API and
// the server-rendered pages, a resource per path, a function per registry entry (a page function
// answers several addresses), Cognito in front of the caseworker routes, and API Gateway's own
// errors in the project's JSON error shape. CloudFront (lib/web.ts) puts the site in front of it.
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
import type { ApiProps } from './types';

const STAGE_THROTTLE = { throttlingRateLimit: 100, throttlingBurstLimit: 200 };
/** Public reads are where someone would try to guess references, so they get less. */
const PUBLIC_READ_THROTTLE = { throttlingRateLimit: 20, throttlingBurstLimit: 40 };

export class Api extends Construct {
  readonly restApi: RestApi;
  readonly functions: readonly PlatformFunction[];

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const methodOptions: Record<string, MethodDeploymentOptions> = Object.fromEntries(
      // "//GET" is the root resource's GET
      HTTP_ROUTES.filter((route) => route.access === 'public' && route.method === 'GET').map((route) => [`${route.path}/${route.method}`, PUBLIC_READ_THROTTLE]),
    );
    this.restApi = new RestApi(this, 'RestApi', {
      description: 'Journey tracker: the citizen pages, the public status API and the caseworker API',
      endpointTypes: [EndpointType.REGIONAL],
      // CloudFront cannot compress what it does not cache, so API Gateway gzips pages and JSON itself
      minCompressionSize: Size.kibibytes(1),
      // Access logs need API Gateway's account-level CloudWatch role.
      cloudWatchRole: true,
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        ...STAGE_THROTTLE,
        methodOptions,
        accessLogDestination: new LogGroupLogDestination(new LogGroup(this, 'AccessLogs', { retention: LOG_RETENTION })),
        accessLogFormat: ACCESS_LOG_FORMAT,
      },
    });

    let authorizer: CognitoUserPoolsAuthorizer | undefined;
    const caseworkerAuthorizer = () =>
      (authorizer ??= new CognitoUserPoolsAuthorizer(this, 'CaseworkerAuthorizer', { cognitoUserPools: [props.caseworkerPool] }));

    this.functions = HTTP_FUNCTIONS.map((spec) => new PlatformFunction(this, spec, props.resources));
    const integrations = new Map(this.functions.map((fn) => [fn.registered.name, new LambdaIntegration(fn)]));
    for (const route of HTTP_ROUTES) {
      // resourceForPath('/') is the root resource
      this.restApi.root
        .resourceForPath(route.path)
        .addMethod(
          route.method,
          integrations.get(route.fn.name)!,
          route.access === 'caseworker' ? { authorizationType: AuthorizationType.COGNITO, authorizer: caseworkerAuthorizer() } : { authorizationType: AuthorizationType.NONE },
        );
    }
    this.addErrorResponses();
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
