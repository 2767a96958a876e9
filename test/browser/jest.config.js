/** @type {import('jest').Config} */
const root = require('../../jest.config.js');

// `npm run test:browser`: real Chromium against a real sandbox process. The specs are named
// *.browser.ts so the root config (test/**/*.spec.ts) never picks them up; the sandbox brings its
// own embedded PostgreSQL, so the root's global setup is not needed.
module.exports = {
  rootDir: root.rootDir,
  testEnvironment: 'node',
  transform: root.transform,
  moduleFileExtensions: root.moduleFileExtensions,
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  testMatch: ['<rootDir>/test/browser/**/*.browser.ts'],
  testTimeout: 120000,
  maxWorkers: 1,
};
