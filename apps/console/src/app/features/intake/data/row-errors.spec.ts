import { intakeErrors } from './row-errors';

describe('intakeErrors', () => {
  it('sorts refused fields to their rows and the event, by name only', () => {
    const errors = intakeErrors([
      { path: 'people.3.identity.dateOfBirth', reason: 'isDate' },
      { path: 'people.3.ageBand', reason: 'isIn' },
      { path: 'people.0.needs.1.category', reason: 'isIn' },
      { path: 'event.occurredOn', reason: 'future' },
      { path: 'people', reason: 'arrayMinSize' },
    ]);
    expect(errors.event).toEqual(['occurredOn', 'people']);
    expect([...errors.rows.entries()]).toEqual([
      [3, ['identity.dateOfBirth', 'ageBand']],
      [0, ['needs.1.category']],
    ]);
  });
});
