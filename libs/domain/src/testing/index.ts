/**
 * Test helpers shared by the test suites of several projects (`@harbour/domain/testing`).
 * Never imported by product code.
 */
export * from './disclosure-attacker';
