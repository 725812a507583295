import { TestBed } from '@angular/core/testing';
import { FormArray, FormControl, FormGroup, Validators } from '@angular/forms';
import { TranslocoService } from '@jsverse/transloco';
import { provideTranslocoTesting } from '../../../testing/i18n';
import { translateFieldMessage } from './field-error.pipe';
import {
  applyFieldErrors,
  controlMessage,
  controlPath,
  dateInRange,
  fieldMessage,
  fieldNameKey,
} from './field-errors';

describe('field errors', () => {
  describe('fieldMessage', () => {
    it('says which days a date out of range may take', () => {
      expect(fieldMessage('notInFuture', { earliest: '1900-01-01', latest: '2026-12-06' })).toEqual(
        {
          key: 'dateBetween',
          params: { earliest: '1900-01-01', latest: '2026-12-06' },
          dates: ['earliest', 'latest'],
        },
      );
      expect(fieldMessage('isDate', { earliest: '1900-01-01' }).key).toBe('dateFrom');
      expect(fieldMessage('isDate').key).toBe('date');
    });

    it('says how long a reason must be', () => {
      expect(fieldMessage('minLength', { minLength: 10 })).toEqual({
        key: 'minLength',
        params: { min: 10 },
        numbers: ['min'],
      });
      expect(fieldMessage('minLength').key).toBe('tooShort');
      expect(fieldMessage('maxLength', { maxLength: 500 }).key).toBe('maxLength');
    });

    it('gives a number range, and a generic message for an unknown reason', () => {
      expect(fieldMessage('max', { min: 1, max: 90 }).key).toBe('numberBetween');
      expect(fieldMessage('somethingNew').key).toBe('invalid');
    });
  });

  describe('controlMessage', () => {
    it('prefers the API refusal, then the browser-side validators with their bounds', () => {
      expect(controlMessage(null)).toBeNull();
      expect(controlMessage({ required: true })?.key).toBe('required');
      expect(controlMessage({ minlength: { requiredLength: 12, actualLength: 3 } })).toEqual({
        key: 'minLength',
        params: { min: 12 },
        numbers: ['min'],
      });
      expect(
        controlMessage({ required: true, api: { reason: 'maxLength', limits: { maxLength: 9 } } })
          ?.key,
      ).toBe('maxLength');
    });
  });

  describe('dateInRange', () => {
    const control = new FormControl(
      '',
      dateInRange(() => '2026-12-06'),
    );

    it.each([
      ['', null],
      ['2026-12-06', null],
      ['1900-01-01', null],
      ['2026-12-07', { dateRange: { earliest: '1900-01-01', latest: '2026-12-06' } }],
      ['1899-12-31', { dateRange: { earliest: '1900-01-01', latest: '2026-12-06' } }],
      ['2026-02-30', { dateRange: { earliest: '1900-01-01', latest: '2026-12-06' } }],
    ])('%s → %j', (value, errors) => {
      control.setValue(value);
      expect(control.errors).toEqual(errors);
    });
  });

  describe('paths', () => {
    it('reads indexed paths either way, and follows aliases by their longest prefix', () => {
      expect(controlPath('people[2].identity.dateOfBirth')).toBe('people.2.identity.dateOfBirth');
      expect(controlPath('identity.dateOfBirth', { identity: 'newPerson' })).toBe(
        'newPerson.dateOfBirth',
      );
      expect(controlPath('event.occurredOn', { 'event.': '' })).toBe('occurredOn');
      expect(controlPath('people.1.identity.alias', { people: 'rows', 'people.1': null })).toBe(
        null,
      );
      expect(controlPath('people.0.ageBand', { people: 'rows' })).toBe('rows.0.ageBand');
    });

    it('names a field in words, never by its path', () => {
      expect(fieldNameKey('people.2.identity.dateOfBirth')).toBe('dateOfBirth');
      expect(fieldNameKey('needs.0.status')).toBe('status');
      expect(fieldNameKey('survivorVersion')).toBe('other');
    });
  });

  describe('applyFieldErrors', () => {
    const form = (): FormGroup =>
      new FormGroup({
        occurredOn: new FormControl('2026-12-07'),
        people: new FormArray([
          new FormGroup({ identity: new FormGroup({ dateOfBirth: new FormControl('') }) }),
          new FormGroup({
            identity: new FormGroup({ dateOfBirth: new FormControl('2099-01-01') }),
          }),
        ]),
        detail: new FormControl('short', Validators.maxLength(500)),
      });

    it('marks the control of each path, indexed ones too, and returns the rest', () => {
      const f = form();
      const limits = { earliest: '1900-01-01', latest: '2026-12-06' };
      const rest = applyFieldErrors(
        f,
        [
          { path: 'event.occurredOn', reason: 'notInFuture', limits },
          { path: 'people.1.identity.dateOfBirth', reason: 'notInFuture', limits },
          { path: 'needs.0.status', reason: 'isIn' },
        ],
        { 'event.': '' },
      );
      expect(rest).toEqual([{ path: 'needs.0.status', reason: 'isIn' }]);
      const occurred = f.get('occurredOn');
      expect(occurred?.errors).toEqual({ api: { reason: 'notInFuture', limits } });
      expect(occurred?.touched).toBe(true);
      expect(f.get('people.1.identity.dateOfBirth')?.errors?.['api']).toBeDefined();
      expect(f.get('people.0.identity.dateOfBirth')?.errors).toBeNull();
    });

    it('drops the API error once the value changes', () => {
      const f = form();
      applyFieldErrors(f, [{ path: 'detail', reason: 'minLength', limits: { minLength: 12 } }]);
      expect(f.get('detail')?.invalid).toBe(true);
      f.get('detail')?.setValue('a longer reason now');
      expect(f.get('detail')?.errors).toBeNull();
    });
  });

  describe('translated', () => {
    beforeEach(() => TestBed.configureTestingModule({ providers: [provideTranslocoTesting()] }));

    it('says in Thai which dates are allowed, with Thai dates and no field name', () => {
      const transloco = TestBed.inject(TranslocoService);
      const message = fieldMessage('notInFuture', { earliest: '1900-01-01', latest: '2026-12-06' });
      const text = translateFieldMessage(transloco, message, 'th');
      expect(text).toContain(
        new Intl.DateTimeFormat('th', { dateStyle: 'medium', timeZone: 'UTC' }).format(
          Date.UTC(2026, 11, 6),
        ),
      );
      expect(text).toMatch(/[\u0E00-\u0E7F]/);
      expect(text).not.toMatch(/occurredOn|notInFuture|1900-01-01/);
    });

    it('says in English how many characters a reason needs', () => {
      const transloco = TestBed.inject(TranslocoService);
      const text = translateFieldMessage(
        transloco,
        fieldMessage('minLength', { minLength: 1200 }),
        'en',
      );
      expect(text).toBe('Write at least 1,200 characters.');
    });
  });
});
