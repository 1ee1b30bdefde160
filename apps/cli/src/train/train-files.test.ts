import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Reader } from 'protobufjs/minimal';
import { loadTrainConfig, parseTrainConfig } from './config';
import { RunFiles } from './run-files';
import { crc32c, maskedCrc32c } from './tensorboard';

const CONFIGS = join(__dirname, '..', '..', 'train-configs');

describe('training config files', () => {
  it.each(['embedded-cpu.yaml', 'qwen3-8b-vllm.yaml'])('%s is valid', (file) => {
    const { name, config } = loadTrainConfig(join(CONFIGS, file));
    expect(name).toMatch(/^[a-z0-9-]+$/);
    expect(config.groupSize).toBeGreaterThanOrEqual(2);
    expect(config.baseModel).toBeTruthy();
  });

  it('names every bad key at once', () => {
    const text =
      'name: x\ndatasets: []\ngroupSize: 1\nsteps: two\ndirector: local\nbaseModel: m\nlearningrate: 1\ntokenizer: sentencepiece\nlearner: { lora: { rank: 8 } }\n';
    let message = '';
    try {
      parseTrainConfig(text, 'bad.yaml');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/invalid training config \(bad\.yaml\)/);
    expect(message).toMatch(/datasets: name at least one dataset/);
    expect(message).toMatch(/groupSize: G must be at least 2/);
    expect(message).toMatch(/steps: /);
    expect(message).toMatch(/unknown key\(s\) "learningrate"/);
    expect(message).toMatch(/tokenizer: /);
    expect(message).toMatch(/learner\.lora: unknown key\(s\) "rank"/);
  });

  it.each([
    ['baseModel: /models/Qwen3-8B', /baseModel: a model is a name .*never a path/],
    ['baseModel: ../../x.gguf', /baseModel: a model is a name/],
    ['extra: { learnerArtifactsDir: /tmp/x }', /unknown key\(s\) "extra"/],
    ['tokenizerModel: /tmp/x.gguf', /unknown key\(s\) "tokenizerModel"/],
    ['learnerTaskQueue: evil', /unknown key\(s\) "learnerTaskQueue"/],
    ['klCoef: 0.1', /unknown key\(s\) "klCoef"/],
    ['learner: { klBeta: 0.1 }', /learner: unknown key\(s\) "klBeta"/],
    ['evalEvery: 5', /unknown key\(s\) "evalEvery"/],
  ])('refuses %s: no paths, queues or second names for a setting', (line, expected) => {
    const base = 'name: x\ndatasets: [gsm8k]\nsteps: 1\ndirector: local\n';
    const text = `${base}${line.startsWith('baseModel') ? '' : 'baseModel: local\n'}${line}\n`;
    expect(() => parseTrainConfig(text, 'hostile.yaml')).toThrow(expected);
  });

  it('fills defaults', () => {
    const { config } = parseTrainConfig('name: t\ndatasets: [gsm8k]\nsteps: 3\ndirector: local\nbaseModel: local\n', 't.yaml');
    expect(config).toMatchObject({ groupSize: 8, problemsPerStep: 8, seed: 42, executor: 'local', maxTurns: 20 });
  });
});

describe('run files: metrics.jsonl, plot.svg, TensorBoard events', () => {
  const history = [1, 2, 3].map((step) => ({
    step,
    policyVersion: `train-t-step-${step}`,
    metrics: {
      rewardMean: -0.5 + 0.2 * step,
      rewardStd: 0.1,
      diversityMean: 0.6,
      answerMean: 0.1 * step,
      correctnessMean: 0.5,
      turnsMean: 10 - step,
      directorTokensMean: 300,
      loss: 0.2,
    },
  }));

  it('keeps one line per step, survives a restart, and only appends to the event file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-run-'));
    const files = new RunFiles(dir, 'test run');
    expect((await files.merge(history.slice(0, 2), 1_000)).map((s) => s.step)).toEqual([1, 2]);
    const firstEvents = readFileSync(files.events);
    const again = new RunFiles(dir, 'test run');
    expect((await again.merge(history, 2_000)).map((s) => s.step)).toEqual([3]);
    expect(readFileSync(files.metrics, 'utf8').trim().split('\n')).toHaveLength(3);
    const events = readFileSync(files.events);
    expect(events.subarray(0, firstEvents.length).equals(firstEvents)).toBe(true);

    // decode the records: framing and CRCs as TensorFlow writes them, then the Event protos
    const decoded: { step: number; tags: Record<string, number> }[] = [];
    let off = 0;
    while (off < events.length) {
      const len = Number(events.readBigUInt64LE(off));
      expect(events.readUInt32LE(off + 8)).toBe(maskedCrc32c(events.subarray(off, off + 8)));
      const data = events.subarray(off + 12, off + 12 + len);
      expect(events.readUInt32LE(off + 12 + len)).toBe(maskedCrc32c(data));
      off += 16 + len;
      const r = Reader.create(data);
      const ev = { step: 0, tags: {} as Record<string, number> };
      while (r.pos < r.len) {
        const tag = r.uint32();
        if (tag >>> 3 === 2) ev.step = Number(r.int64());
        else if (tag >>> 3 === 5) {
          const s = Reader.create(r.bytes());
          while (s.pos < s.len) {
            s.uint32();
            const v = Reader.create(s.bytes());
            let name = '';
            let value = NaN;
            while (v.pos < v.len) {
              const t = v.uint32();
              if (t >>> 3 === 1) name = v.string();
              else value = v.float();
            }
            ev.tags[name] = value;
          }
        } else r.skipType(tag & 7);
      }
      decoded.push(ev);
    }
    expect(decoded).toHaveLength(4); // file_version + 3 steps
    expect(decoded[3]?.step).toBe(3);
    expect(decoded[3]?.tags['reward/rewardMean']).toBeCloseTo(0.1, 6);
    expect(decoded[3]?.tags['learner/loss']).toBeCloseTo(0.2, 6);
    expect(decoded[3]?.tags['rollout/turnsMean']).toBe(7);
  });

  it('crc32c matches the standard check value', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('plots the training curves with a charting library (Vega-Lite SVG)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flowsteer-run-'));
    const files = new RunFiles(dir, 'test run');
    await files.merge(history);
    const svg = readFileSync(files.plot, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(
      expect.arrayContaining(['reward (mean ± s.e.)', 'structure reward R_div', 'released answer R_ans', 'turns per session']),
    );
  });
});
