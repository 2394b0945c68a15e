/** A message's sender and control id: MSH-3.1, MSH-4.1 and MSH-10. */
export interface ControlIdKey {
  sendingApplication: string | null;
  sendingFacility: string | null;
  controlId: string;
}

/** Position of a message: the landing key of its file and its 0-based index there. */
export interface MessageSighting {
  file: string;
  messageIndex: number;
}

/**
 * Outcome of recording a message: its control id is `new`, a `resend` of the same content (which
 * record hashes already store once), or `reused` for other content (a different message that is
 * kept). `first` is the position where the control id was first seen.
 */
export type ControlIdCheck =
  | { status: 'new' }
  | { status: 'resend'; first: MessageSighting }
  | { status: 'reused'; first: MessageSighting };

interface KnownControlId {
  first: MessageSighting;
  hashes: Set<string>;
}

/**
 * Hex digits of the message hash kept per control id. 64 bits make a false "resend" between two
 * different messages of one control id practically impossible, at a quarter of the memory.
 */
const KEPT_HASH_DIGITS = 16;

/**
 * Remembers, for one run, which message content each (sending application, facility, control
 * id) carried, so that a control id a sender reuses for another message is noticed across the
 * files of the run. It keeps ids and hashes only and does no I/O.
 */
export class ControlIdRegistry {
  private readonly known = new Map<string, KnownControlId>();

  /** Record a message and return what was known of its control id before it. */
  record(key: ControlIdKey, messageHash: string, sighting: MessageSighting): ControlIdCheck {
    const id = JSON.stringify([key.sendingApplication, key.sendingFacility, key.controlId]);
    const hash = messageHash.slice(0, KEPT_HASH_DIGITS);
    const known = this.known.get(id);
    if (!known) {
      this.known.set(id, { first: sighting, hashes: new Set([hash]) });
      return { status: 'new' };
    }
    if (known.hashes.has(hash)) return { status: 'resend', first: known.first };
    known.hashes.add(hash);
    return { status: 'reused', first: known.first };
  }

  /** Number of distinct control ids recorded. */
  get size(): number {
    return this.known.size;
  }
}
