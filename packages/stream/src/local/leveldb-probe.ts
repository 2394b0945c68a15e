import { createRequire } from 'node:module';

import { StreamError } from '../errors';

interface LevelDbHandle {
  open(callback: (error?: Error) => void): void;
  close(callback: (error?: Error) => void): void;
}

/**
 * Open and close the LevelDB database in `folder` with the leveldown that
 * kinesalite itself loads, so that a folder already in use fails here.
 */
export async function probeLevelDbFolder(folder: string): Promise<void> {
  const requireFromKinesalite = createRequire(require.resolve('kinesalite'));
  const leveldown = requireFromKinesalite('leveldown') as (location: string) => LevelDbHandle;
  const database = leveldown(folder);

  try {
    await new Promise<void>((resolve, reject) =>
      database.open((error) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    throw new StreamError(
      `local stream data folder ${JSON.stringify(folder)} could not be opened`,
      {
        cause: error,
        hint: 'Another local stream may be using it: stop that one, or give this one its own dataDir.',
      },
    );
  }
  await new Promise<void>((resolve, reject) =>
    database.close((error) => (error ? reject(error) : resolve())),
  );
}
