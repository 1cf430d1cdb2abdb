// Where caseworkers sign in: the addresses of the identity provider (Cognito's hosted sign-in in
// AWS, the development sign-in of the local platform) and of the console's own sign-in pages.
// CDK writes it into the CASEWORKER_SIGN_IN variable; the sign-in adapter reads it.

/** The console's own addresses the identity provider sends the browser back to. */
export const CONSOLE_PATHS = {
  signIn: '/caseworker/sign-in',
  /** where the provider returns with the authorisation code (a callback URL of the app client) */
  callback: '/caseworker/callback',
  /** where the provider returns after signing out (a sign-out URL of the app client) */
  signedOut: '/caseworker/signed-out',
  home: '/caseworker',
} as const;

export interface SignInConfig {
  /** the `iss` of the provider's ID tokens */
  readonly issuer: string;
  /** the console's app client: the `aud` of its ID tokens */
  readonly clientId: string;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly logoutUrl: string;
  /** the provider's public signing keys */
  readonly jwksUri: string;
  /** the site's own address, without a trailing slash, e.g. https://d111111abcdef8.cloudfront.net */
  readonly siteUrl: string;
}

/** The addresses of a Cognito user pool and its hosted sign-in domain. */
export function cognitoSignIn(options: { region: string; userPoolId: string; clientId: string; domainUrl: string; siteUrl: string }): SignInConfig {
  const issuer = `https://cognito-idp.${options.region}.amazonaws.com/${options.userPoolId}`;
  return {
    issuer,
    clientId: options.clientId,
    authorizeUrl: `${options.domainUrl}/oauth2/authorize`,
    tokenUrl: `${options.domainUrl}/oauth2/token`,
    logoutUrl: `${options.domainUrl}/logout`,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    siteUrl: options.siteUrl,
  };
}
