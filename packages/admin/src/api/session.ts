import { useSyncExternalStore } from 'react';
import { currentStoreId, isSignedIn, subscribe } from './client.ts';

/** Re-renders on sign-in, sign-out and store switches. */
export function useSession(): { signedIn: boolean; storeId: string } {
  const signedIn = useSyncExternalStore(subscribe, isSignedIn);
  const storeId = useSyncExternalStore(subscribe, currentStoreId);
  return { signedIn, storeId };
}
