export * from './lib/errors';
export * from './lib/health';
export * from './lib/roles';
export * from './lib/ids';
export * from './lib/permissions';
export * from './lib/keys';
export * from './lib/auth';
export * from './lib/password-policy';
