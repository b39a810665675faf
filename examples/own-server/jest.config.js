// The testkit's preset: targets named and swept per run, the socket matchers registered, time limits above the
// harness's own, TypeScript through ts-jest (transpiling only); `npm test` checks the types first with tsc.
module.exports = {
  preset: '@sockspec/testkit',
  testMatch: ['<rootDir>/*.spec.ts'],
};
