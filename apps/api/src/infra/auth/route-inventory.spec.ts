import { Controller, Get, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Public, RequirePermission } from './access';
import { AllowedInLockdown } from './lockdown';
import { listRoutes } from './route-inventory';

@Controller('api/things')
class ThingsController {
  @Get()
  @RequirePermission('case:read')
  @AllowedInLockdown('admins')
  list(): string[] {
    return [];
  }

  @Post()
  create(): string {
    return 'forgot to declare';
  }

  helper(): number {
    return 1;
  }
}

@Controller('status')
@Public()
class StatusController {
  @Get()
  status(): string {
    return 'ok';
  }
}

describe('listRoutes', () => {
  it('lists every route with its rule and flags the undeclared one', async () => {
    const moduleRef = await Test.createTestingModule({
      controllers: [ThingsController, StatusController],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    try {
      expect(listRoutes(app)).toEqual([
        {
          method: 'GET',
          path: '/api/things',
          controller: 'ThingsController',
          handler: 'list',
          access: { kind: 'permission', permission: 'case:read' },
          lockdown: 'admins',
        },
        {
          method: 'POST',
          path: '/api/things',
          controller: 'ThingsController',
          handler: 'create',
          access: undefined,
          lockdown: undefined,
        },
        {
          method: 'GET',
          path: '/status',
          controller: 'StatusController',
          handler: 'status',
          access: { kind: 'public' },
          lockdown: undefined,
        },
      ]);
    } finally {
      await app.close();
    }
  });
});
