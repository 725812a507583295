import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import type { DeviceKeyResponse } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { SignedIn } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { DeviceKeyDto } from './dto/device-key.dto';
import { DeviceKeysService } from './device-keys.service';

/**
 * The key a signed-in console seals its offline work under (docs/adr/0012). Every signed-in
 * staff member may ask for their own; each release is logged (the console asks once per sign-in).
 * Not served in lockdown. Responses are `Cache-Control: no-store`, as every API response.
 */
@Controller('api/session')
export class DeviceKeysController {
  constructor(private readonly devices: DeviceKeysService) {}

  @Post('device-key')
  @Audit('auth.device_key_released', { resourceType: 'session' })
  @HttpCode(200)
  @SignedIn('active')
  release(@Scope() scope: SignedInScope, @Body() body: DeviceKeyDto): Promise<DeviceKeyResponse> {
    return this.devices.release(scope, body.deviceId);
  }

  /** "Forget my devices": what any device holds for this user can no longer be opened. */
  @Post('forget-devices')
  @Audit('auth.devices_forgotten', { resourceType: 'staff_user' })
  @HttpCode(204)
  @SignedIn('active')
  async forget(@Scope() scope: SignedInScope): Promise<void> {
    await this.devices.forgetMine(scope);
  }
}
