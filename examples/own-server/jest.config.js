// The testkit's preset: targets named and swept per run, the socket matchers registered, time limits above the
// harness's own. swc strips the types; `npm test` checks them first with tsc.
module.exports = {
  preset: '@sockspec/testkit',
  transform: { '^.+\\.ts$': '@swc/jest' },
  testMatch: ['<rootDir>/*.spec.ts'],
};
