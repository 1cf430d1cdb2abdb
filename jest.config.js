// Tests run offline: domain units, handlers and journeys on the local stand-ins, CDK assertions.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.[cm]?[jt]sx?$': ['@swc/jest'] },
  // middy ships ES modules only: let swc turn them into CommonJS for jest
  transformIgnorePatterns: ['/node_modules/(?!@middy/)'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['<rootDir>/test/support/env.ts'],
  testTimeout: 60_000,
  maxWorkers: 2,
};
