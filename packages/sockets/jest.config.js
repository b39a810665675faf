// Unit tests live beside the code as src/<name>.test.ts.
module.exports = {
  transform: { '^.+\\.ts$': '@swc/jest' },
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
};
