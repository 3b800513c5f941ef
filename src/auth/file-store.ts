/**
 * The fallback secret store for OAuth tokens when no OS keychain is available: one JSON file
 * (`<config>/auth/tokens.json`, mode 0600, in a 0700 folder), written atomically under a lock
 * so concurrent mcpx processes never lose each other's updates.
 */
import fs from 'node:fs';
import path from 'node:path';
import type {SecretStore} from '../secrets/store-types.js';
import {writeAtomically} from '../util/atomic-write.js';
import {withLock} from '../util/lock.js';

interface FileContent {
  version: 1;
  accounts: Record<string, string>;
}

export class FileStore implements SecretStore {
  readonly kind = 'file' as const;
  readonly description: string;

  /** @param file the JSON file; its folder is created (0700) on first write. */
  constructor(readonly file: string) {
    this.description = `file ${file} (mode 0600)`;
  }

  async get(account: string): Promise<string | undefined> {
    return (await this.read()).accounts[account];
  }

  async set(account: string, value: string): Promise<void> {
    await this.update((accounts) => {
      accounts[account] = value;
    });
  }

  async delete(account: string): Promise<boolean> {
    let deleted = false;
    await this.update((accounts) => {
      deleted = account in accounts;
      delete accounts[account];
    });
    return deleted;
  }

  async list(): Promise<string[]> {
    return Object.keys((await this.read()).accounts).sort();
  }

  private async read(): Promise<FileContent> {
    let text: string;
    try {
      text = await fs.promises.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {version: 1, accounts: {}};
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<FileContent>;
    return {version: 1, accounts: {...(parsed.accounts ?? {})}};
  }

  private async update(change: (accounts: Record<string, string>) => void): Promise<void> {
    const dir = path.dirname(this.file);
    await fs.promises.mkdir(dir, {recursive: true, mode: 0o700});
    // mkdir keeps an existing folder's mode; a token folder others can list is tightened.
    await fs.promises.chmod(dir, 0o700);
    await withLock(`${this.file}.lock`, async () => {
      const content = await this.read();
      change(content.accounts);
      await writeAtomically(this.file, JSON.stringify(content, null, 2) + '\n', {mode: 0o600});
    }, {code: 'E_AUTH_LOCK'});
  }
}
