import type { Config } from '../config.ts';
import { openSecret, sealSecret } from './crypto.ts';

type KeyConfig = Pick<Config, 'encryptionKey' | 'encryptionKeyId' | 'decryptionKeys'>;

/** Seals a secret with the server's current key (AES-256-GCM, key id embedded for rotation). */
export function seal(config: KeyConfig, plaintext: string): string {
  return sealSecret(config.encryptionKey, config.encryptionKeyId, plaintext);
}

/**
 * Opens a secret sealed by `seal` under the current key or ENCRYPTION_KEY_PREVIOUS; throws when it
 * was sealed with a key this server does not hold.
 */
export function unseal(config: KeyConfig, sealed: string): string {
  return openSecret(config.decryptionKeys, sealed);
}
