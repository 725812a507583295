import { AUDIT_ACTIONS, AUDIT_RESOURCE_TYPES } from '@harbour/domain';
import { TRANSLATIONS } from '../../../../testing/i18n';
import { ACTION_GROUPS, actionLabelKey, resourceTypeLabelKey } from './audit-labels';

function lookUp(key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[part]
          : undefined,
      TRANSLATIONS.en,
    );
}

describe('audit labels', () => {
  it.each(AUDIT_ACTIONS)('labels %s in English', (action) => {
    expect(actionLabelKey(action)).toBe(`audit.actions.${action}`);
    expect(typeof lookUp(actionLabelKey(action))).toBe('string');
  });

  it.each(AUDIT_RESOURCE_TYPES)('labels the record type %s in English', (type) => {
    expect(resourceTypeLabelKey(type)).toBe(`audit.resourceTypes.${type}`);
    expect(typeof lookUp(resourceTypeLabelKey(type))).toBe('string');
  });

  it('shows a record type it does not know as it is', () => {
    expect(resourceTypeLabelKey('spaceship')).toBe('spaceship');
  });

  it('shows an action it does not know as it is', () => {
    expect(actionLabelKey('person.revealed')).toBe('person.revealed');
    expect(actionLabelKey('auth')).toBe('auth');
  });

  it('groups every action', () => {
    expect(
      AUDIT_ACTIONS.every((action) => ACTION_GROUPS.some((g) => action.startsWith(`${g}.`))),
    ).toBe(true);
  });
});
