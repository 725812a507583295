import 'reflect-metadata';
import { IsInt, IsOptional, IsString, MaxLength, MetadataStorage, validate } from 'class-validator';
import { CreateContactDto } from '../../app/contacts/dto/contacts.dto';
import { memoiseValidationMetadata } from './validation-metadata-cache';

/** Rules as comparable values: the same rule objects, in the same order. */
const ruleIds = (rules: readonly object[]): object[] => [...rules];

describe('memoised validation metadata', () => {
  it('answers exactly what class-validator answers, for every class and option set', () => {
    // The process's storage holds every request class once the DTO modules are loaded.
    const storage = (global as unknown as { classValidatorMetadataStorage: MetadataStorage })
      .classValidatorMetadataStorage;
    expect(storage).toBeDefined();
    const plain = new MetadataStorage();
    const targets = [
      ...(
        storage as unknown as { validationMetadatas: Map<unknown, unknown> }
      ).validationMetadatas.keys(),
    ].filter((t): t is new () => object => typeof t === 'function');
    expect(targets.length).toBeGreaterThan(5);
    const original = storage.getTargetValidationMetadatas.bind(storage);
    const expected = targets.flatMap((t) =>
      [true, false].map((always) => ruleIds(original(t, '', always, false))),
    );
    memoiseValidationMetadata(storage);
    for (let round = 0; round < 2; round++) {
      const got = targets.flatMap((t) =>
        [true, false].map((always) =>
          ruleIds(storage.getTargetValidationMetadatas(t, '', always, false)),
        ),
      );
      expect(got).toEqual(expected);
    }
    // A memoised answer's grouping is class-validator's grouping of it.
    const rules = storage.getTargetValidationMetadatas(CreateContactDto, '', true, false);
    expect(storage.groupByPropertyName(rules)).toEqual(plain.groupByPropertyName(rules));
    expect(Object.keys(storage.groupByPropertyName(rules))).toContain('occurredOn');
  });

  it('drops its answers when a rule is added, so a class loaded late is still validated', async () => {
    memoiseValidationMetadata();
    class Base {
      @IsString() @MaxLength(5) code!: string;
    }
    class Late extends Base {
      @IsOptional() @IsInt() count?: number;
    }
    const bad = Object.assign(new Late(), {
      code: 'far too long',
      count: 'x' as unknown as number,
    });
    // Asked once before the next rule exists: the answer is kept …
    expect((await validate(bad)).map((e) => e.property).sort()).toEqual(['code', 'count']);
    class Later extends Late {}
    const later = Object.assign(new Later(), { code: 'ok', extra: 'long' });
    expect(await validate(later)).toEqual([]);
    // … and a rule added afterwards (to a parent) is seen by every class that inherits it.
    MaxLength(3)(Base.prototype, 'extra');
    expect((await validate(later)).map((e) => e.property)).toEqual(['extra']);
  });
});
