export * from './errors.ts';
export * from './common.ts';
export * from './platform.ts';
export * from './identity.ts';
export * from './store.ts';
export * from './profiles.ts';
export * from './markets.ts';
