// How every function is bundled, in one place: CDK's NodejsFunction uses it, and so does the
// cold-start benchmark, so what is measured is what is deployed. The SDK is bundled and
// minified (not left to the runtime's copy): a smaller, tree-shaken bundle loads faster.
export const NODE_TARGET = 'node24';

export const BUNDLING = {
  minify: true,
  sourceMap: false,
  target: NODE_TARGET,
  /** bundle everything, the AWS SDK included */
  externalModules: [] as string[],
  /** prefer the ES module builds, which esbuild can tree-shake */
  mainFields: ['module', 'main'],
  platform: 'node',
  format: 'cjs',
} as const;
