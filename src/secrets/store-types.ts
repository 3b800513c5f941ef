/**
 * The contract of a secret store. The OS keychain is the real one (`store.ts`); auth falls
 * back to a 0600 file store when no keychain exists; tests may use the memory store.
 * Account names are structured: `<namespace>/<name>`, e.g. `env/GITHUB_TOKEN`, `oauth/<url-hash>/tokens`.
 */
export interface SecretStore {
  readonly kind: 'keychain' | 'file' | 'memory';
  /** A human-readable description of where values go, e.g. "Secret Service (gnome-keyring)". */
  readonly description: string;
  get(account: string): Promise<string | undefined>;
  /** Store (or replace) a value. Values of any length are accepted (long ones are split). */
  set(account: string, value: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
  /** The accounts mcpx has stored (keychains cannot always enumerate, so stores keep an index). */
  list(): Promise<string[]>;
}

/** A store kept in memory, for unit tests and dry runs. */
export class MemoryStore implements SecretStore {
  readonly kind = 'memory' as const;
  readonly description = 'memory (not persisted)';
  private readonly values = new Map<string, string>();

  async get(account: string): Promise<string | undefined> {
    return this.values.get(account);
  }

  async set(account: string, value: string): Promise<void> {
    this.values.set(account, value);
  }

  async delete(account: string): Promise<boolean> {
    return this.values.delete(account);
  }

  async list(): Promise<string[]> {
    return [...this.values.keys()].sort();
  }
}
