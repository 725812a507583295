import { Global, Module } from '@nestjs/common';
import { IdempotencyKeysRepository } from '../../data/idempotency/idempotency-keys.repository';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { KeyringModule } from '../keyring/keyring.module';
import { IdempotencyInterceptor } from './idempotency.interceptor';

@Global()
@Module({
  imports: [KeyringModule],
  providers: [IdempotencyInterceptor, IdempotencyKeysRepository, PersonsRepository],
  exports: [IdempotencyInterceptor, IdempotencyKeysRepository, PersonsRepository, KeyringModule],
})
export class IdempotencyModule {}
