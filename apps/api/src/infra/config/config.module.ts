import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { HarbourConfig } from './config';

/** Injection token for the validated, frozen configuration. */
export const HARBOUR_CONFIG = Symbol('HARBOUR_CONFIG');

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: HarbourConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: HARBOUR_CONFIG, useValue: config }],
      exports: [HARBOUR_CONFIG],
    };
  }
}
