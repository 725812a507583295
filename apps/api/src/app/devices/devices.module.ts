import { Module } from '@nestjs/common';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { DeviceKeysRepository } from '../../data/devices/device-keys.repository';
import { DeviceKeysController } from './device-keys.controller';
import { DeviceKeysService } from './device-keys.service';

/** Device keys for offline capture (docs/adr/0012). */
@Module({
  imports: [KeyringModule],
  controllers: [DeviceKeysController],
  providers: [DeviceKeysService, DeviceKeysRepository],
  exports: [DeviceKeysService],
})
export class DevicesModule {}
