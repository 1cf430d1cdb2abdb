// Where the pages' fingerprinted styles and script are: read once at start-up from the variable
// the 'assets:link' need sets (built by web/build.ts; served from S3 behind CloudFront in AWS).
import { ENV, requireEnv } from '../environment';

let paths: Record<string, string> | undefined;

export function assetPath(name: 'styles.css' | 'enhance.js' | 'favicon.svg'): string {
  paths ??= JSON.parse(requireEnv(ENV.assetPaths)) as Record<string, string>;
  const found = paths[name];
  if (!found) throw new Error(`${ENV.assetPaths} has no ${name}`);
  return found;
}
