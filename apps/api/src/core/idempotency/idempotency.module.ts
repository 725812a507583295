import { Global, Module } from '@nestjs/common';
import { KeyringModule } from '../keyring/keyring.module';
import { IdempotencyInterceptor } from './idempotency.interceptor';

@Global()
@Module({
  imports: [KeyringModule],
  providers: [IdempotencyInterceptor],
  exports: [IdempotencyInterceptor, KeyringModule],
})
export class IdempotencyModule {}
