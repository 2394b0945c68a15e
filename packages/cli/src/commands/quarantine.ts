import type { LoadedConfig, Principal } from '@carelake/core';
import type { Lake, QuarantineItem } from '@carelake/pipeline';
import { withLake } from '../context';
import { CliUsageError } from '../errors';

type Write = (text: string) => void;

interface StoredItem extends QuarantineItem {
  where?: string;
}

const PREFIX = 'quarantine/';

/**
 * List the quarantined parts of the lake, oldest pipeline first: key, stage, position and reason.
 * The rejected content is never printed here, because it can contain health data.
 */
export async function listQuarantine(config: LoadedConfig, options: { pipeline?: string; format: 'text' | 'jsonl' }, write: Write): Promise<number> {
  return withLake(config, async (lake) => {
    const prefix = options.pipeline ? `${PREFIX}${options.pipeline}/` : PREFIX;
    let count = 0;
    for await (const object of lake.store.list({ prefix })) {
      const item = await readItem(lake, object.key);
      count++;
      const summary = {
        key: object.key,
        stage: item.stage,
        where: item.where ?? '',
        reason: item.reason,
        landingKey: item.landingKey,
        ...(item.streamRecord ? { stream: item.streamRecord.stream, shardId: item.streamRecord.shardId ?? '' } : {}),
      };
      if (options.format === 'jsonl') write(JSON.stringify(summary));
      else write(`${summary.key}\n  ${summary.stage} at ${summary.where || 'the whole file'}: ${summary.reason}`);
    }
    if (options.format === 'text') write(count === 0 ? 'no quarantined items' : `${count} quarantined item(s)`);
    return count;
  });
}

/**
 * Print one quarantined item in full, the rejected content included, for an admin who must
 * correct the input. Each showing is an audit event, because the content can contain health data.
 */
export async function showQuarantineItem(config: LoadedConfig, key: string, principal: Principal, write: Write): Promise<void> {
  if (!key.startsWith(PREFIX)) {
    throw new CliUsageError(`${key} is not a quarantine key`, { hint: 'Pass a key that carelake quarantine list printed, starting with quarantine/.' });
  }
  await withLake(config, async (lake) => {
    if (principal.role !== 'admin') {
      await lake.audit.append({ principal: principal.name, action: 'quarantine.show', resources: [key], outcome: 'denied' });
      throw new CliUsageError(`principal ${principal.name} may not read quarantined content: it is not an admin`, {
        hint: 'carelake quarantine list shows every item without its content; ask an admin to show one.',
      });
    }
    const item = await readItem(lake, key);
    await lake.audit.append({ principal: principal.name, action: 'quarantine.show', resources: [key], outcome: 'success' });
    write(JSON.stringify(item, null, 2));
  });
}

async function readItem(lake: Lake, key: string): Promise<StoredItem> {
  if (!(await lake.store.head(key))) {
    throw new CliUsageError(`quarantine item ${key} not found`, { hint: 'List the items with carelake quarantine list.' });
  }
  return JSON.parse(Buffer.from(await lake.store.get(key)).toString('utf8')) as StoredItem;
}
