/**
 * Device keys (docs/adr/0012): what the console keeps on a device for offline capture is sealed
 * under a key the API releases to a signed-in session, for one user and one device, and that the
 * console holds in memory only.
 */

/** A device id: 128 random bits, base64url without padding (22 characters). Not a secret. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** `POST /api/session/device-key`. */
export interface DeviceKeyRequest {
  readonly deviceId: string;
}

export interface DeviceKeyResponse {
  /** Names the key's generation; records sealed under another key id no longer open. */
  readonly keyId: string;
  /** 32 bytes, base64url without padding: an AES-256-GCM key. */
  readonly key: string;
}
