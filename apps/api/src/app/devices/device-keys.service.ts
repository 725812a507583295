import { createHmac } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { DeviceKeyResponse } from '@harbour/domain';
import type { SignedInScope } from '../../core/scope/request-scope';
import { KeyringService } from '../../core/keyring/keyring.service';
import { DeviceKeysRepository } from '../../data/devices/device-keys.repository';
import type { Tx } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';

/** Domain separation of the MAC input: a version, then the fields, each NUL-terminated. */
const DEVICE_KEY_LABEL = 'harbour.device-key.v1';

/**
 * Device keys (docs/adr/0012): HMAC-SHA256, under a subkey of the organisation's index key, of
 * the organisation, the user, the device and the user's device-key epoch. Nothing is stored per
 * device: the same user on the same device gets the same key until the epoch is raised, and
 * another user or device gets another key. The index key is refused in lockdown, and so is this.
 */
@Injectable()
export class DeviceKeysService {
  constructor(
    private readonly keyring: KeyringService,
    private readonly epochs: DeviceKeysRepository,
    private readonly clock: Clock,
  ) {}

  async release(scope: SignedInScope, deviceId: string): Promise<DeviceKeyResponse> {
    const { tx, organisationId, principal } = scope;
    const epoch = await this.epochs.epoch(tx, organisationId, principal.userId);
    const indexKey = await this.keyring.indexKey(tx, organisationId);
    const mac = createHmac('sha256', this.keyring.cipher.deviceKeyRoot(indexKey));
    for (const part of [DEVICE_KEY_LABEL, organisationId, principal.userId, deviceId, `${epoch}`]) {
      mac.update(part, 'utf8').update('\0');
    }
    const key = mac.digest();
    try {
      return { keyId: `e${epoch}`, key: key.toString('base64url') };
    } finally {
      key.fill(0);
    }
  }

  /** The caller's own devices: every key released to them so far stops opening anything. */
  async forgetMine(scope: SignedInScope): Promise<void> {
    await this.revokeUser(scope.tx, scope.organisationId, scope.principal.userId);
  }

  revokeUser(tx: Tx, organisationId: string, userId: string): Promise<void> {
    return this.epochs.revokeUser(tx, organisationId, userId, this.clock.now());
  }

  revokeOrganisation(tx: Tx, organisationId: string): Promise<void> {
    return this.epochs.revokeOrganisation(tx, organisationId, this.clock.now());
  }
}
