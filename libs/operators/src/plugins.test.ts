import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOperator } from '@flowsteer/canvas';
import { catalogueWith, loadPluginFile, pluginsFromEnv } from './plugins';

const dir = mkdtempSync(join(tmpdir(), 'flowsteer-plugins-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('plug-in operator files (FLOWSTEER_PLUGINS)', () => {
  it('loads the shipped example and builds a catalogue where it is a checker', () => {
    const plugins = loadPluginFile(join(__dirname, '..', '..', '..', 'examples', 'plugins', 'unit-check.yaml'));
    const spec = findOperator(catalogueWith(plugins), 'UnitCheck');
    expect(spec).toMatchObject({ category: 'checking', passField: 'passed', plugin: true, executesCode: false });
  });

  it('names every problem of a bad file, with the file', () => {
    const bad = file(
      'bad.yaml',
      'operators:\n  - name: lower\n    category: magic\n    description: short\n    instruction: x\n    extra: 1\n',
    );
    expect(() => loadPluginFile(bad)).toThrow(/bad\.yaml: .*operators\.0\.name.*operators\.0\.category/);
  });

  it('refuses a plug-in that takes a built-in name', () => {
    const clash = file(
      'clash.json',
      JSON.stringify({
        operators: [
          { name: 'Review', category: 'checking', description: 'Another review step.', instruction: 'Review the input carefully.' },
        ],
      }),
    );
    expect(() => loadPluginFile(clash)).toThrow(/clash\.json: invalid plug-in operators: .*Review/);
  });

  it('is empty without FLOWSTEER_PLUGINS and says which file is missing', () => {
    expect(pluginsFromEnv({})).toEqual([]);
    expect(() => pluginsFromEnv({ FLOWSTEER_PLUGINS: join(dir, 'nope.yaml') })).toThrow(/nope\.yaml: ENOENT/);
  });
});

describe('plug-ins with a code check', () => {
  it('loads the shipped example as a solver that runs code, with a code_check output', () => {
    const plugins = loadPluginFile(join(__dirname, '..', '..', '..', 'examples', 'plugins', 'checked-programmer.yaml'));
    const spec = findOperator(catalogueWith(plugins), 'DocumentedProgrammer');
    expect(spec).toMatchObject({ category: 'solving', executesCode: true, codeCheck: true, solver: true });
    expect(spec?.passField).toBeUndefined();
    expect(spec?.outputs.map((p) => `${p.name}:${p.type}`)).toEqual(['response:code', 'code_check:text']);
  });

  it('refuses a code check on a step that does not write code', () => {
    const checker = file(
      'checker.yaml',
      'operators:\n  - name: CodeJudge\n    category: checking\n    description: Judges the code it is given.\n    instruction: Judge the code carefully.\n    codeCheck: true\n',
    );
    expect(() => loadPluginFile(checker)).toThrow(/checker\.yaml: operators\.0\.codeCheck: codeCheck needs a step that writes code/);
  });
});
