import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { searchAttributeCliPairs } from '@flowsteer/contracts';

it('the dev server registers exactly the search attributes the contracts define', () => {
  const registered = readFileSync(join(__dirname, 'search-attributes.txt'), 'utf8').split('\n').filter(Boolean);
  expect(registered.sort()).toEqual(searchAttributeCliPairs().sort());
});
