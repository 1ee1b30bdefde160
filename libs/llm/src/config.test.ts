import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BackendRegistry, LOCAL_MODEL_FILE, backendRegistryFromConfig, configuredNames, loadBackendRegistry } from './config';
import { LlmError } from './errors';

const EXAMPLE = resolve(__dirname, '..', 'backends.example.yaml');

function configError(fn: () => unknown): LlmError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LlmError);
    const e = err as LlmError;
    expect(e.kind).toBe('config');
    expect(e.retryable).toBe(false);
    return e;
  }
  throw new Error('expected a config error');
}

describe('backend registry', () => {
  it('holds only the embedded local model when nothing is configured, as director and executor', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-cfg-'));
    const reg = loadBackendRegistry({ cwd: dir, env: { FLOWSTEER_HOME: '/srv/fs' } });
    expect(reg.names()).toEqual(['local']);
    expect(reg.defaults).toEqual({ director: 'local', executor: 'local' });
    expect(reg.source).toMatch(/built-in default/);
    const local = reg.get('local');
    expect(local.kind).toBe('local');
    if (local.kind === 'local') expect(local.modelPath).toBe(join('/srv/fs', 'models', LOCAL_MODEL_FILE));
    expect(reg.get('@director').name).toBe('local');
    expect(reg.get('@executor').name).toBe('local');
  });

  it("caps the embedded model's completions at 512 tokens unless configured otherwise", () => {
    const byDefault = backendRegistryFromConfig({}, { env: {} }).get('local');
    expect(byDefault.kind === 'local' && byDefault.maxCompletionTokens).toBe(512);
    const raised = backendRegistryFromConfig({ backends: { local: { kind: 'local', maxCompletionTokens: 2048 } } }, { env: {} }).get(
      'local',
    );
    expect(raised.kind === 'local' && raised.maxCompletionTokens).toBe(2048);
    configError(() => backendRegistryFromConfig({ backends: { local: { kind: 'local', maxCompletionTokens: 0 } } }, { env: {} }));
  });

  it('FLOWSTEER_LOCAL_MODEL points the local backend at another GGUF file', () => {
    const reg = backendRegistryFromConfig({}, { env: { FLOWSTEER_LOCAL_MODEL: '/models/x.gguf' } });
    const local = reg.get('local');
    expect(local.kind === 'local' && local.modelPath).toBe('/models/x.gguf');
  });

  it('loads the documented example: six endpoints plus local, keys by env var name only', () => {
    const reg = loadBackendRegistry({ path: EXAMPLE, env: {} });
    expect(reg.names().sort()).toEqual(
      [
        'deepseek-chat',
        'llamacpp-server',
        'local',
        'ollama-qwen2.5-7b',
        'openai-gpt4o-mini',
        'together-llama-3.3-70b',
        'vllm-qwen3-8b',
      ].sort(),
    );
    const openai = reg.get('openai-gpt4o-mini');
    expect(openai).toMatchObject({
      kind: 'openai-compatible',
      baseURL: 'https://api.openai.com/v1',
      model: 'gpt-4o-mini',
      apiKeyEnv: 'OPENAI_API_KEY',
      price: { inputPerMTok: 0.15, outputPerMTok: 0.6 },
      sampling: { temperature: 0, topP: 1, maxTokens: 4096 },
      concurrency: 8,
      timeoutMs: 120000,
      retry: { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 10000 },
    });
    // ${VAR:-default} takes the default, and the env var when set
    expect(reg.get('vllm-qwen3-8b')).toMatchObject({ baseURL: 'http://127.0.0.1:8000/v1', capabilities: { grammar: 'vllm' } });
    const withEnv = loadBackendRegistry({ path: EXAMPLE, env: { VLLM_BASE_URL: 'http://gpu-7:8000/v1' } });
    expect(withEnv.get('vllm-qwen3-8b')).toMatchObject({ baseURL: 'http://gpu-7:8000/v1' });
    expect(reg.get('ollama-qwen2.5-7b')).toMatchObject({ retry: { maxRetries: 2 }, capabilities: { logprobs: false } });
    expect(reg.defaults).toEqual({ director: 'local', executor: 'local' });
    // describe() is safe to log
    expect(reg.describe()).toContain('openai-gpt4o-mini: gpt-4o-mini @ https://api.openai.com/v1 key from $OPENAI_API_KEY');
  });

  it('reads FLOWSTEER_BACKENDS, then flowsteer.backends.yaml in the cwd; JSON works too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-cfg-'));
    writeFileSync(
      join(dir, 'flowsteer.backends.yaml'),
      'backends:\n  a:\n    baseURL: http://127.0.0.1:1/v1\n    model: m\ndefaults:\n  executor: a\n',
    );
    const fromCwd = loadBackendRegistry({ cwd: dir, env: {} });
    expect(fromCwd.names()).toEqual(['local', 'a']);
    expect(fromCwd.get('a').kind).toBe('openai-compatible'); // kind defaults to openai-compatible
    expect(fromCwd.defaults).toEqual({ director: 'local', executor: 'a' });

    const jsonFile = join(dir, 'other.json');
    writeFileSync(jsonFile, JSON.stringify({ backends: { b: { kind: 'openai-compatible', baseURL: 'http://x/v1', model: 'm2' } } }));
    const fromEnv = loadBackendRegistry({ cwd: dir, env: { FLOWSTEER_BACKENDS: jsonFile, FLOWSTEER_DIRECTOR_BACKEND: 'b' } });
    expect(fromEnv.names()).toEqual(['local', 'b']);
    expect(fromEnv.defaults.director).toBe('b');
    expect(fromEnv.source).toBe(jsonFile);
  });

  it('names a missing FLOWSTEER_BACKENDS file', () => {
    const e = configError(() => loadBackendRegistry({ env: { FLOWSTEER_BACKENDS: '/nonexistent/b.yaml' } }));
    expect(e.message).toContain('/nonexistent/b.yaml');
    expect(e.message).toContain('FLOWSTEER_BACKENDS');
  });

  it('names every bad key in one message', () => {
    const e = configError(() =>
      backendRegistryFromConfig(
        {
          backends: {
            deepseek: { baseURL: 'https://api.deepseek.com/v1', model: 'deepseek-chat', price: { inputPerMTok: 'cheap' } },
            broken: { kind: 'openai-compatible', baseUrl: 'http://x/v1', model: 'm' },
            weird: { kind: 'gpu-magic', model: 'x' },
            neg: { baseURL: 'not a url', model: 'm', concurrency: 0, timeoutMs: -5 },
          },
        },
        { source: 'test.yaml', env: {} },
      ),
    );
    expect(e.message).toContain('invalid backend config (test.yaml)');
    expect(e.message).toContain('backends.deepseek.price.inputPerMTok: Expected number, received string');
    expect(e.message).toMatch(/backends\.broken: Unrecognized key\(s\) in object: 'baseUrl'/);
    expect(e.message).toContain('backends.broken.baseURL: Required');
    expect(e.message).toMatch(/backends\.weird\.kind: Invalid discriminator value/);
    expect(e.message).toContain('backends.neg.baseURL: must be a URL');
    expect(e.message).toContain('backends.neg.concurrency');
    expect(e.message).toContain('backends.neg.timeoutMs');
  });

  it('refuses literal API keys without echoing them', () => {
    const secret = 'sk-live-THISMUSTNOTLEAK-1234567890';
    const e = configError(() =>
      backendRegistryFromConfig(
        { backends: { openai: { baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: secret } } },
        { env: {} },
      ),
    );
    expect(e.message).toContain('backends.openai.apiKey: API keys are never written into the config');
    expect(e.message).toContain('apiKeyEnv');
    expect(e.message).not.toContain('THISMUSTNOTLEAK');
    const e2 = configError(() =>
      backendRegistryFromConfig({ backends: { o: { baseURL: 'https://a/v1', model: 'm', apiKeyEnv: secret } } }, { env: {} }),
    );
    expect(e2.message).toContain('backends.o.apiKeyEnv: must be the NAME of an environment variable');
    expect(e2.message).not.toContain('THISMUSTNOTLEAK');
  });

  it('reports unset ${VAR} references and unknown defaults', () => {
    const e = configError(() => backendRegistryFromConfig({ backends: { v: { baseURL: '${GPU_HOST_URL}', model: 'm' } } }, { env: {} }));
    expect(e.message).toContain('backends.v.baseURL: environment variable GPU_HOST_URL is not set');
    const e2 = configError(() => backendRegistryFromConfig({ defaults: { director: 'nope' } }, { env: {} }));
    expect(e2.message).toContain('defaults.director names "nope"');
    const e3 = configError(() => backendRegistryFromConfig({}, { env: { FLOWSTEER_EXECUTOR_BACKEND: 'ghost' } }));
    expect(e3.message).toContain('defaults.executor names "ghost"');
    const e4 = configError(() => backendRegistryFromConfig({ backendz: {} }, { env: {} }));
    expect(e4.message).toContain("(root): Unrecognized key(s) in object: 'backendz'");
  });

  it('reports a file that is not YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'llm-cfg-'));
    const f = join(dir, 'bad.yaml');
    writeFileSync(f, 'backends: [unclosed\n  - : :');
    expect(configError(() => loadBackendRegistry({ path: f, env: {} })).message).toContain(`backend config ${f} is not valid YAML/JSON`);
  });

  it('a configured local entry overrides the built-in one', () => {
    const reg = backendRegistryFromConfig(
      { backends: { local: { kind: 'local', contextSize: 1024, modelPath: 'm.gguf', concurrency: 2 } } },
      { env: {}, baseDir: '/base' },
    );
    const local = reg.get('local');
    expect(local).toMatchObject({ kind: 'local', contextSize: 1024, modelPath: '/base/m.gguf', concurrency: 2, retry: { maxRetries: 0 } });
  });

  it('unknown backends fail with the list of known ones', () => {
    const reg = new BackendRegistry(backendRegistryFromConfig({}, { env: {} }).list(), { director: 'local', executor: 'local' }, 'x');
    try {
      reg.get('gpt-9');
      throw new Error('expected unknown-backend');
    } catch (err) {
      expect(err).toBeInstanceOf(LlmError);
      expect(err).toMatchObject({ kind: 'unknown-backend', backend: 'gpt-9', retryable: false });
      expect((err as Error).message).toContain('configured backends are local');
    }
  });

  it('names base models in models: (paths relative to the file), and always has the embedded one as "local"', () => {
    const reg = backendRegistryFromConfig(
      {
        models: {
          'qwen3-8b': { path: '/models/Qwen3-8B', learnerTaskQueue: 'cwrpo-learner-gpu' },
          tiny: { path: 'weights/tiny.gguf' },
          split: { path: 'hf::q4.gguf', tokenizerFile: 'tok.gguf' },
        },
      },
      { env: { FLOWSTEER_LOCAL_MODEL: '/m/embedded.gguf' }, baseDir: '/etc/flowsteer' },
    );
    expect(reg.models.names()).toEqual(['local', 'qwen3-8b', 'tiny', 'split']);
    expect(reg.models.get('local').path).toBe('/m/embedded.gguf');
    expect(reg.models.get('qwen3-8b')).toMatchObject({ path: '/models/Qwen3-8B', learnerTaskQueue: 'cwrpo-learner-gpu' });
    expect(reg.models.get('tiny').path).toBe('/etc/flowsteer/weights/tiny.gguf');
    expect(reg.models.get('split').path).toBe('/etc/flowsteer/hf::q4.gguf');
    expect(reg.models.tokenizerFile('tiny')).toBe('/etc/flowsteer/weights/tiny.gguf');
    expect(reg.models.tokenizerFile('split')).toBe('/etc/flowsteer/tok.gguf');
    expect(reg.models.tokenizerFile('qwen3-8b')).toBeUndefined();
  });

  it('an unknown or path-like model name is refused with the configured names only, never a path', () => {
    const reg = backendRegistryFromConfig({ models: { secret: { path: '/srv/private/weights' } } }, { env: {} });
    expect(() => reg.models.get('nope')).toThrow(/^unknown model "nope": configured models are local, secret$/);
    for (const name of ['/srv/private/weights', '../secret', 'secret/../../x']) {
      expect(() => reg.models.get(name)).toThrow(/^a model is a name, not a path: configured models are local, secret$/);
    }
  });

  it('checks the models: section like the rest', () => {
    const err = configError(() =>
      backendRegistryFromConfig({ models: { 'bad name': { path: 'x' }, ok: { path: '', queue: 'q' } } }, { env: {} }),
    );
    expect(err.message).toMatch(/models\.bad name/);
    expect(err.message).toMatch(/models\.ok/);
  });

  it('lists the configured names without the environment of the workers (what the REST API checks against)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-names-'));
    const file = join(dir, 'backends.yaml');
    writeFileSync(
      file,
      'backends:\n  director: { baseURL: "${VLLM_BASE_URL}", model: m, apiKeyEnv: VLLM_API_KEY }\nmodels:\n  qwen3-8b: { path: /models/Qwen3-8B }\n',
    );
    expect(() => loadBackendRegistry({ path: file, env: {} })).toThrow(/VLLM_BASE_URL is not set/);
    expect(configuredNames({ path: file, env: {} })).toEqual({ backends: ['local', 'director'], models: ['local', 'qwen3-8b'] });
    expect(configuredNames({ env: {}, cwd: dir })).toEqual({ backends: ['local'], models: ['local'] });
  });
});
