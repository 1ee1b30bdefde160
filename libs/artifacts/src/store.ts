import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { defaultArtifactsDir, WORKSPACE_ROOT } from './home';
import { isJoinedText, isStoredText, needsStoring, previewText, type StoredText, type TextValue } from '@flowsteer/contracts';

export const ARTIFACT_SCHEME = 'artifact://';
const CAS_PREFIX = 'cas/';

/** A reference that does not name something inside the store, or names nothing that exists. */
export class ArtifactRefError extends Error {
  override readonly name = 'ArtifactRefError';
  constructor(
    message: string,
    readonly kind: 'invalid' | 'missing',
  ) {
    super(message);
  }
}

/**
 * The artifact store (DESIGN §5): a local folder by default. Two kinds of entries:
 * - content-addressed blobs, `artifact://cas/<sha256>`: texts and JSON written once, read by anyone
 *   who holds the reference; equal contents share one file, so nothing is stored twice;
 * - named JSON, `artifact://<kind>/<id>.json`: records with a natural key (a session's run segment,
 *   a trajectory, a training batch), idempotent by that key.
 * Every reference is resolved against the root and refused if it would leave it (`..`, absolute
 * paths, symbolic links pointing out), so a reference that travelled through a payload can never
 * make a worker read or write elsewhere.
 */
export class ArtifactStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** `FLOWSTEER_ARTIFACTS`, else `$FLOWSTEER_HOME/artifacts`, else `<workspace>/.flowsteer/artifacts`. */
  static fromEnv(env: NodeJS.ProcessEnv = process.env, workspaceRoot: string = WORKSPACE_ROOT): ArtifactStore {
    return new ArtifactStore(defaultArtifactsDir(env, workspaceRoot));
  }

  /** A text as it should travel: whole when short, else stored and referenced with a preview. */
  async putText(text: string): Promise<TextValue> {
    return needsStoring(text) ? this.storeText(text) : text;
  }

  /** Stores a text whatever its length and returns its reference. */
  async storeText(text: string): Promise<StoredText> {
    const ref = await this.putBlob(text);
    return { ref, preview: previewText(text), bytes: Buffer.byteLength(text, 'utf8') };
  }

  /** The whole text of a value: itself, the stored blob, or its joined parts. */
  async readText(value: TextValue): Promise<string> {
    if (typeof value === 'string') return value;
    if (isStoredText(value)) return this.getBlob(value.ref);
    if (isJoinedText(value)) return (await Promise.all(value.join.map((part) => this.readText(part)))).join(value.sep);
    throw new ArtifactRefError(`not a text value: ${JSON.stringify(value).slice(0, 200)}`, 'invalid');
  }

  /** Writes content-addressed bytes (idempotent) and returns `artifact://cas/<sha256>`. */
  async putBlob(content: string | Buffer): Promise<string> {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const hash = createHash('sha256').update(data).digest('hex');
    const ref = `${ARTIFACT_SCHEME}${CAS_PREFIX}${hash}`;
    const file = this.resolve(ref);
    if (!(await exists(file))) await writeAtomic(file, data);
    return ref;
  }

  async getBlob(ref: string): Promise<string> {
    return (await this.read(ref)).toString('utf8');
  }

  /** Content-addressed JSON. */
  async putJsonBlob(content: unknown): Promise<string> {
    return this.putBlob(JSON.stringify(content));
  }

  /** Named JSON, idempotent by (kind, id): a retried activity rewrites the same file. */
  async putJson(kind: string, id: string, content: unknown): Promise<string> {
    const ref = `${ARTIFACT_SCHEME}${safeSegment(kind)}/${safeSegment(id)}.json`;
    await writeAtomic(this.resolve(ref), Buffer.from(JSON.stringify(content), 'utf8'));
    return ref;
  }

  async getJson<T = unknown>(ref: string): Promise<T> {
    const text = (await this.read(ref)).toString('utf8');
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new ArtifactRefError(`artifact ${ref} is not valid JSON: ${(err as Error).message}`, 'invalid');
    }
  }

  async exists(ref: string): Promise<boolean> {
    return exists(this.resolve(ref));
  }

  /**
   * The file a reference names, inside the root. Refuses anything that is not `artifact://…`, has
   * an empty, `.` or `..` segment, a NUL, a backslash, or resolves (through links) outside the root.
   */
  resolve(ref: string): string {
    if (typeof ref !== 'string' || !ref.startsWith(ARTIFACT_SCHEME))
      throw new ArtifactRefError(`not an artifact reference: ${describe(ref)}`, 'invalid');
    const rel = ref.slice(ARTIFACT_SCHEME.length);
    const segments = rel.split('/');
    if (!rel || rel.length > 512 || /[\0\\]/.test(rel) || isAbsolute(rel) || segments.some((s) => s === '' || s === '.' || s === '..')) {
      throw new ArtifactRefError(`artifact reference leaves the store or is malformed: ${describe(ref)}`, 'invalid');
    }
    if (rel.startsWith(CAS_PREFIX)) {
      const hash = rel.slice(CAS_PREFIX.length);
      if (!/^[0-9a-f]{64}$/.test(hash)) throw new ArtifactRefError(`malformed content reference: ${describe(ref)}`, 'invalid');
      return join(this.root, 'cas', hash.slice(0, 2), hash);
    }
    const file = join(this.root, ...segments);
    this.assertInside(file, ref);
    return file;
  }

  private async read(ref: string): Promise<Buffer> {
    const file = this.resolve(ref);
    try {
      return await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new ArtifactRefError(`artifact ${ref} is not in the store at ${this.root}`, 'missing');
      throw err;
    }
  }

  /** Lexically inside the root, and no existing ancestor is a link that leads out of it. */
  private assertInside(file: string, ref: string): void {
    const lexical = relative(this.root, file);
    if (lexical.startsWith('..') || isAbsolute(lexical))
      throw new ArtifactRefError(`artifact reference leaves the store: ${describe(ref)}`, 'invalid');
    if (!existsSync(this.root)) return;
    const realRoot = realpathSync(this.root);
    let probe = file;
    while (!existsSync(probe) && probe !== this.root) probe = dirname(probe);
    const real = realpathSync(probe);
    if (real !== realRoot && !real.startsWith(realRoot + sep))
      throw new ArtifactRefError(`artifact reference leaves the store through a link: ${describe(ref)}`, 'invalid');
  }
}

function safeSegment(s: string): string {
  const cleaned = s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_');
  return cleaned.slice(0, 200) || '_';
}

function describe(ref: unknown): string {
  return JSON.stringify(typeof ref === 'string' ? ref.slice(0, 200) : ref);
}

/** Writes next to the final name, then renames: readers never see half a file. */
async function writeAtomic(file: string, data: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
