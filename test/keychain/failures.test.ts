import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {UserError} from '../../src/errors.js';
import {forgetKeychainProbes, openKeychain} from '../../src/secrets/store.js';
import {startPrivateKeyring, type PrivateKeyring} from '../setup/keyring.js';
import {keychainEnv, skipNote, uniqueService} from './helpers.js';

/**
 * Run `fn` with DBUS_SESSION_BUS_ADDRESS set to `address`, probing afresh. libdbus reads the
 * address once per process, so a file may only ever use one address: the "no bus at all" cases
 * run in fresh CLI processes (cli.test.ts).
 */
async function withBus<T>(address: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
  if (address === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = address;
  forgetKeychainProbes();
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    forgetKeychainProbes();
  }
}

async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe.skipIf(!keychainEnv.available || keychainEnv.mode !== 'private')(`a keychain that misbehaves${skipNote}`, () => {
  let keyring: PrivateKeyring;

  beforeAll(async () => {
    // Its own keyring: freezing the shared one would stall other test files.
    keyring = await startPrivateKeyring();
  });

  afterAll(async () => {
    await keyring?.stop();
  });

  test('a keychain that stops answering: every call gives up at its timeout with a clear error', async () => {
    await withBus(keyring.address, async () => {
      const store = await openKeychain({service: uniqueService('slow'), env: {MCPX_KEYCHAIN_TIMEOUT_MS: '400'}});
      expect(store.timeoutMs).toBe(400);
      await store.set('env/SLOW', 'v1');
      process.kill(keyring.keyringPid, 'SIGSTOP');
      try {
        const started = Date.now();
        const error = await failure(store.get('env/SLOW'));
        const elapsed = Date.now() - started;
        expect(error.code).toBe('E_KEYCHAIN_TIMEOUT');
        expect(error.message).toBe('The keychain did not answer a read of "env/SLOW" within 400 ms.');
        expect(error.hint).toMatch(/unlock prompt/);
        // Our own timer fired, well before the 2 s D-Bus reply timeout.
        expect(elapsed).toBeGreaterThanOrEqual(380);
        expect(elapsed).toBeLessThan(1500);

        // A first contact with the frozen keychain fails the probe: no store is handed out.
        forgetKeychainProbes();
        const probe = await failure(openKeychain({service: uniqueService('slow'), timeoutMs: 400}));
        expect(probe.code).toBe('E_NO_KEYCHAIN');
        expect(probe.message).toMatch(/did not answer/);
      } finally {
        process.kill(keyring.keyringPid, 'SIGCONT');
      }
      // Once it answers again, so does the store.
      expect(await store.get('env/SLOW')).toBe('v1');
      await store.delete('env/SLOW');
    });
  });

  test('a bus without a Secret Service: E_NO_KEYCHAIN saying to install or start one', async () => {
    await keyring.stopKeyring();
    const error = await withBus(keyring.address, () => failure(openKeychain({service: uniqueService('nosvc')})));
    expect(error.code).toBe('E_NO_KEYCHAIN');
    expect(error.message).toMatch(/no Secret Service provider/);
    expect(error.hint).toMatch(/apt install gnome-keyring/);
  });
});
