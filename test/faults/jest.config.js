/** @type {import('jest').Config} */
const root = require('../../jest.config.js');

// The fault suite: `npm run test:faults`. Same SWC transform and PostgreSQL global setup as `npm test`,
// one file at a time (the cases kill processes and stop servers; two at once on 2 cores would blur
// their timings), and a summary table printed at the end.
module.exports = {
  ...root,
  rootDir: `${__dirname}/../..`,
  testMatch: ['<rootDir>/test/faults/**/*.fault.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  globalSetup: '<rootDir>/test/faults/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/faults/support/global-teardown.ts',
  testTimeout: 180_000,
  maxWorkers: 1,
};
