// Unit tests live beside the code as src/<name>.test.ts. ts-jest only transpiles (isolatedModules): the typecheck
// task checks the types once, not each worker.
module.exports = {
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
  testEnvironment: 'node',
  roots: ['<rootDir>/src'],
  testMatch: ['**/*.test.ts'],
};
