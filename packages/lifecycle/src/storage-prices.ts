import { parseYamlDocument } from '@carelake/core';
import { z } from 'zod';

const pricePerGbMonth = z.number().nonnegative();

/** A price table for cost estimates: the price of one GB-month in each storage class. */
export const storagePriceFileSchema = z
  .object({
    description: z.string().optional(),
    /** Origin of the prices and the date they were read, so readers can judge how current they are. */
    source: z.string().min(1),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
    perGbMonth: z
      .object({
        STANDARD: pricePerGbMonth,
        STANDARD_IA: pricePerGbMonth,
        INTELLIGENT_TIERING: pricePerGbMonth,
        ONEZONE_IA: pricePerGbMonth,
        GLACIER_IR: pricePerGbMonth,
        GLACIER: pricePerGbMonth,
        DEEP_ARCHIVE: pricePerGbMonth,
      })
      .strict(),
  })
  .strict();

export type StoragePriceFile = z.output<typeof storagePriceFileSchema>;

/** Parses a storage price file, raising a `ConfigError` that lists every invalid key path. */
export function parseStoragePriceFile(text: string, file: string): StoragePriceFile {
  return parseYamlDocument(text, file, storagePriceFileSchema);
}
