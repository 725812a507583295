import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];
type Rules = ReturnType<Lookup>;
type Grouping = Storage['groupByPropertyName'];

const MEMOISED = Symbol.for('harbour.validationMetadataMemo');

/**
 * Memoises class-validator's look-up of a class's rules. On every validation of every object,
 * class-validator scans the rules of every decorated class to find the ones a class inherits (an
 * `instanceof` test against each), then groups them by property: with Harbour's few hundred
 * request classes that was the largest single cost of validating a request body (docs/benchmarks.md,
 * "Contact creation"). The rules are fixed once the request classes are loaded, so each answer is
 * kept per class and options, and every kept answer is dropped when a rule is added (a class
 * loaded late). The answers are class-validator's own arrays and objects, which it only reads.
 * Installed once per process, on the process's one metadata storage.
 */
export function memoiseValidationMetadata(storage: Storage = getMetadataStorage()): void {
  const marked = storage as Storage & { [MEMOISED]?: true };
  if (marked[MEMOISED] === true) return;
  marked[MEMOISED] = true;

  const lookUp: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  const group: Grouping = storage.groupByPropertyName.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  let rules = new Map<unknown, Map<string, Rules>>();
  // Groupings of the arrays this memo gave out (another array may be a caller's own).
  let groups = new WeakMap<Rules, ReturnType<Grouping>>();

  storage.addValidationMetadata = (metadata) => {
    rules = new Map();
    groups = new WeakMap();
    addRule(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, wanted) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${wanted?.join('\u0001') ?? ''}`;
    let byOptions = rules.get(target);
    if (byOptions === undefined) rules.set(target, (byOptions = new Map<string, Rules>()));
    let found = byOptions.get(key);
    if (found === undefined) {
      found = lookUp(target, schema, always, strictGroups, wanted);
      byOptions.set(key, found);
      groups.set(found, group(found));
    }
    return found;
  };
  storage.groupByPropertyName = (metadata) => groups.get(metadata) ?? group(metadata);
}
