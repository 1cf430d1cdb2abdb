// Development sign-in for the local platform, standing in for the Cognito user pool: each
// token maps to the claims API Gateway's Cognito authoriser would pass to the handlers.
export const DEV_TOKENS: Readonly<Record<string, { readonly 'cognito:username': string; readonly 'cognito:groups': string }>> = {
  'dev-caseworker': { 'cognito:username': 'dev-caseworker', 'cognito:groups': 'caseworkers' },
  'dev-senior': { 'cognito:username': 'dev-senior', 'cognito:groups': 'caseworkers,senior-caseworkers' },
};
