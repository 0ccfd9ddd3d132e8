export { profileRoutes } from './profile.routes.ts';
export { storefrontProfile } from './profile.service.ts';
export { onProfileMerge, type ProfileMergeHook } from './profile.merge.ts';
