import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, Injectable, Module, Post } from '@nestjs/common';
import { uuidv7 } from '@harbour/domain';
import { IsString, MaxLength } from 'class-validator';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Public } from '../auth/access';
import { findCanaries } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * The global HTTP pipeline (body parsing, validation, errors, correlation ids, logs) exercised
 * through a small probe feature that writes to a real table, mounted on the real app module.
 */
class CreateNoteDto {
  @IsString()
  @MaxLength(50)
  title!: string;
}

@Injectable()
class ProbeService {
  constructor(private readonly dataSource: DataSource) {}

  async create(dto: CreateNoteDto): Promise<{ id: string }> {
    const id = uuidv7();
    await this.dataSource.query('INSERT INTO probe_note (id, title) VALUES ($1, $2)', [
      id,
      dto.title,
    ]);
    return { id };
  }

  explode(): never {
    // An internal fault whose message quotes identity, as a careless driver error might.
    throw new Error('lookup failed for Quokka Zzcanary (Somchai Jaidee)');
  }
}

@Controller('api/probe')
class ProbeController {
  constructor(private readonly probe: ProbeService) {}

  @Post('notes')
  @Public()
  create(@Body() dto: CreateNoteDto): Promise<{ id: string }> {
    return this.probe.create(dto);
  }

  @Get('explode')
  @Public()
  explode(): never {
    return this.probe.explode();
  }

  /** Declares no access rule: default deny must refuse it. */
  @Get('undeclared')
  undeclared(): { secret: string } {
    return { secret: 'should never be returned' };
  }
}

@Module({ controllers: [ProbeController], providers: [ProbeService] })
class ProbeModule {}

const ERROR_SHAPE = {
  code: expect.any(String),
  message: expect.any(String),
  correlationId: expect.any(String),
};

describe('HTTP pipeline', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  const countNotes = async (): Promise<number> =>
    Number((await db.asSuperuser<{ count: string }>('SELECT count(*) FROM probe_note'))[0]!.count);

  beforeAll(async () => {
    db = await createTestDatabase();
    await db.asOwner('CREATE TABLE probe_note (id uuid PRIMARY KEY, title text NOT NULL)');
    await db.asOwner('GRANT SELECT, INSERT ON probe_note TO harbour_api');
    harbour = await createTestApp(db, { imports: [ProbeModule] });
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const http = () => request(harbour.app.getHttpServer());

  it('accepts a valid JSON body and writes it', async () => {
    const res = await http().post('/api/probe/notes').send({ title: 'hello' }).expect(201);
    expect(res.body).toEqual({ id: expect.any(String) });
    expect(await countNotes()).toBe(1);
    await db.asSuperuser('DELETE FROM probe_note');
  });

  describe('rejects bad bodies with a stable code and writes nothing', () => {
    afterEach(async () => {
      expect(await countNotes()).toBe(0);
    });

    it.each([
      ['a missing field', {}, [{ path: 'title', reason: 'isString' }]],
      ['a wrong type', { title: 42 }, [{ path: 'title', reason: 'isString' }]],
      [
        'a too long value',
        { title: 'x'.repeat(51) },
        [{ path: 'title', reason: 'maxLength', limits: { maxLength: 50 } }],
      ],
      [
        'an unknown property',
        { title: 'ok', organisationId: randomUUID() },
        [{ path: 'organisationId', reason: 'unknown_property' }],
      ],
    ])('400 validation_failed for %s', async (_label, body, fields) => {
      const res = await http().post('/api/probe/notes').send(body).expect(400);
      expect(res.body).toEqual({
        ...ERROR_SHAPE,
        code: 'validation_failed',
        fields: expect.arrayContaining(fields),
      });
    });

    it('never echoes the rejected value', async () => {
      const res = await http()
        .post('/api/probe/notes')
        .send({ title: 'Zzcanary'.repeat(10) })
        .expect(400);
      expect(JSON.stringify(res.body)).not.toContain('Zzcanary');
    });

    it('400 malformed_json for invalid JSON', async () => {
      const res = await http()
        .post('/api/probe/notes')
        .set('Content-Type', 'application/json')
        .send('{"title": ')
        .expect(400);
      expect(res.body).toEqual({ ...ERROR_SHAPE, code: 'malformed_json' });
    });

    it.each([
      ['a __proto__ key', '{"title":"x","__proto__":{"admin":true}}'],
      ['a constructor key', '{"title":"x","constructor":{"prototype":{}}}'],
      ['a NUL character', '{"title":"a\\u0000b"}'],
      ['deep nesting', `{"title":"x","n":${'['.repeat(40)}${']'.repeat(40)}}`],
      ['a bare string', '"title"'],
    ])('400 malformed_json for %s', async (_label, raw) => {
      const res = await http()
        .post('/api/probe/notes')
        .set('Content-Type', 'application/json')
        .send(raw)
        .expect(400);
      expect(res.body.code).toBe('malformed_json');
    });

    it.each([
      ['text/plain', 'title=hello'],
      ['application/x-www-form-urlencoded', 'title=hello'],
      ['multipart/form-data; boundary=x', '--x\r\n\r\nhello\r\n--x--'],
      ['application/json; charset=latin1', '{"title":"hello"}'],
    ])('415 unsupported_media_type for %s', async (type, raw) => {
      const res = await http()
        .post('/api/probe/notes')
        .set('Content-Type', type)
        .send(raw)
        .expect(415);
      expect(res.body).toEqual({ ...ERROR_SHAPE, code: 'unsupported_media_type' });
    });

    it('413 payload_too_large for a body over the limit', async () => {
      const res = await http()
        .post('/api/probe/notes')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ title: 'x'.repeat(harbour.config.http.maxBodyBytes + 1) }))
        .expect(413);
      expect(res.body).toEqual({ ...ERROR_SHAPE, code: 'payload_too_large' });
    });

    it('413 for a 10 MB body', async () => {
      const res = await http()
        .post('/api/probe/notes')
        .set('Content-Type', 'application/json')
        .send(Buffer.alloc(10 * 1024 * 1024, 0x20))
        .expect(413);
      expect(res.body.code).toBe('payload_too_large');
    });
  });

  it('answers an unknown route with 404 in the same shape', async () => {
    for (const [method, path] of [
      ['get', '/api/nowhere'],
      ['post', '/api/persons/00000000-0000-7000-8000-000000000000/nothing'],
      ['delete', '/health/live'],
    ] as const) {
      const res = await http()[method](path).expect(404);
      expect(res.body).toEqual({ ...ERROR_SHAPE, code: 'not_found', message: 'Not found.' });
    }
  });

  it('answers an internal fault with 500, a generic message and only the correlation id', async () => {
    const res = await http().get('/api/probe/explode').expect(500);
    expect(Object.keys(res.body).sort()).toEqual(['code', 'correlationId', 'message']);
    expect(res.body.code).toBe('internal_error');
    expect(res.body.correlationId).toBe(res.headers['x-correlation-id']);
    expect(findCanaries(JSON.stringify(res.body))).toEqual([]);
    expect(res.text).not.toMatch(/at .*\.ts|Error:/);
    // The fault is logged for operators, under the same correlation id, without its message.
    const line = harbour.logs.find(
      (l) => l['correlationId'] === res.body.correlationId && l['msg'] === 'unhandled error',
    );
    expect(line).toBeDefined();
    expect((line!['err'] as { type: string }).type).toBe('Error');
    // The request's own line, written when the response finished, carries the same id.
    const requestLine = harbour.logs.find(
      (l) => l['correlationId'] === res.body.correlationId && l['msg'] === 'request',
    );
    expect(requestLine?.['res']).toEqual({ status: 500 });
    expect(findCanaries(harbour.rawLogs())).toEqual([]);
  });

  it('denies a route that declares no access rule (default deny)', async () => {
    const res = await http().get('/api/probe/undeclared').expect(401);
    expect(res.body).toEqual({ ...ERROR_SHAPE, code: 'unauthenticated' });
    expect(res.text).not.toContain('should never be returned');
  });

  it('puts the correlation id in the response header, the error body and every log line', async () => {
    const res = await http().get('/api/nowhere').expect(404);
    const id = res.headers['x-correlation-id'];
    expect(id).toBe(res.body.correlationId);
    const lines = harbour.logs.filter((l) => l['correlationId'] === id);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of harbour.logs) expect(typeof line['correlationId']).toBe('string');
  });

  it('honours a well-formed incoming correlation id and replaces a hostile one', async () => {
    const mine = '4bf92f3577b34da6a3ce929d0e0e4736';
    const ok = await http().get('/health/live').set('X-Correlation-Id', mine).expect(200);
    expect(ok.headers['x-correlation-id']).toBe(mine);
    const hostile = await http()
      .get('/health/live')
      .set('X-Correlation-Id', 'x"}{"level":"fatal" <script>')
      .expect(200);
    expect(hostile.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('never logs request bodies or query strings', async () => {
    await http().post('/api/probe/notes').send({ title: 'Zzcanary' }).expect(201);
    await http().get('/api/nowhere?name=Quokka').expect(404);
    expect(findCanaries(harbour.rawLogs())).toEqual([]);
    await db.asSuperuser('DELETE FROM probe_note');
  });
});
