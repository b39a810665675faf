// The report checked in a real browser: runs after the scenarios have written report/ (see turbo.json).
module.exports = {
  transform: { '^.+\\.ts$': '@swc/jest' },
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.browser.ts'],
  testTimeout: 60_000,
};
