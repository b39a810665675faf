// The report checked in a real browser: runs after the scenarios have written report/ (see turbo.json).
module.exports = {
  // ts-jest only transpiles (isolatedModules): the typecheck task checks the types.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.browser.ts'],
  testTimeout: 60_000,
};
