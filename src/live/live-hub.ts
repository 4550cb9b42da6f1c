/**
 * Live streams on one instance: readers of a coverage's Server-Sent Events,
 * fed from the database whenever the coverage's invalidation tag
 * (`live:<id>`) arrives, from this instance at commit or from another one
 * through the existing transport (Redis pub/sub or PostgreSQL NOTIFY): no
 * channel of its own, and one read per change per instance, however many
 * readers. No HTTP here: a reader is anything that takes text.
 *
 * - Resume: each entry is sent with its id; a reader that comes back with
 *   `Last-Event-ID` gets what it missed, in order, then the live flow.
 * - Backpressure: a reader whose unsent output passes `maxBuffered` is
 *   dropped (its browser reconnects and resumes); nobody waits for it.
 * - Heartbeats keep proxies from closing quiet streams.
 * - Caps: per client address and for the whole instance (`join` says no).
 * - An ended coverage sends its final state, then every stream closes.
 * - Each fan-out writes a reader its new entries in one write; with a pacer
 *   (`fanOutPacer`), a fan-out to many rests while the machine's CPUs are
 *   busy, so entries posted in quick succession go out together.
 *
 * @example
 *   const hub = createLiveHub({ live, invalidator, log });
 *   const joined = await hub.join(7, { ip, lastEventId: req.headers['last-event-id'], client });
 *   if (!joined.ok) reply.code(503).header('retry-after', '30');
 */
import type { Invalidator } from '../instances/invalidation.js';
import { EVERYTHING } from '../instances/invalidation.js';
import { createPacer, dutyOf, type Pacer, UNPACED } from '../lib/pace.js';
import { coverageOfTag } from './live.effects.js';
import type { Entry } from './live.js';
import type { LiveService } from './live.service.js';

/** One connected reader, as the hub sees it. */
export interface StreamClient {
  /** Entries and heartbeats come as bytes encoded once for every reader; the rest as text. */
  write(chunk: string | Buffer): void;
  /** Bytes written but not yet sent (the socket's buffer). */
  buffered(): number;
  close(): void;
}

export interface HubLimits {
  perAddress: number;
  total: number;
  /** Unsent bytes beyond which a reader is dropped. */
  maxBuffered: number;
  heartbeatMs: number;
  /** Entries sent on a resume at most (older ones are on the page). */
  resumeMax: number;
}

export const DEFAULT_LIMITS: HubLimits = {
  perAddress: 8,
  total: 20_000,
  maxBuffered: 256 * 1024,
  heartbeatMs: 20_000,
  resumeMax: 100,
};

export type JoinResult =
  | { ok: true; leave: () => void }
  | { ok: false; reason: 'address' | 'total'; retryAfter: number };

interface Reader {
  client: StreamClient;
  ip: string;
  lastId: number;
  /** Set while catching up: live entries wait here so that order is kept. */
  pending?: Entry[];
}

interface Room {
  id: number;
  readers: Set<Reader>;
  /** The newest entry id this instance has sent on. */
  head: number;
  /** A read is running; `again` asks for one more after it. */
  busy: boolean;
  again: boolean;
}

export interface LiveHub {
  join(
    coverageId: number,
    r: { ip: string; lastEventId?: string | undefined; client: StreamClient },
  ): Promise<JoinResult>;
  /** Connected readers (all coverages). */
  readonly size: number;
  close(): void;
}

/** A `Last-Event-ID` we sent is a whole number; anything else is ignored (a fresh start). */
export function parseLastEventId(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n <= 2 ** 31 - 1 ? n : undefined;
}

/**
 * An entry's event, encoded once per entry however many readers get it: each
 * reader's write hands the socket the same bytes, with nothing to encode.
 */
const eventBytes = new WeakMap<Entry, Buffer>();
const entryEvent = (e: Entry) => {
  let bytes = eventBytes.get(e);
  if (bytes === undefined) {
    bytes = Buffer.from(entryText(e));
    eventBytes.set(e, bytes);
  }
  return bytes;
};
/** Entries after `lastId`, each once, in order (a resume's missed entries and those queued meanwhile overlap). */
function unsent(entries: Entry[], lastId: number): Entry[] {
  const out: Entry[] = [];
  let last = lastId;
  for (const e of entries) {
    if (e.id <= last) continue;
    out.push(e);
    last = e.id;
  }
  return out;
}

/** Several entries' events as one chunk: one write per reader however many entries a fan-out carries. */
const eventsOf = (entries: Entry[]) =>
  entries.length === 1 ? entryEvent(entries[0]!) : Buffer.concat(entries.map(entryEvent));
const HEARTBEAT = Buffer.from(': heartbeat\n\n');
const entryText = (e: Entry) =>
  `id: ${e.id}\nevent: entry\ndata: ${JSON.stringify({ id: e.id, postedAt: e.postedAt.toISOString(), authors: e.authors, keyEvent: e.keyEvent ?? null })}\n\n`;

/** Readers written to before yielding to other requests. */
const FAN_OUT_SLICE = 500;
/** Fan-outs to fewer readers than this never rest: they cost next to nothing. */
const PACED_FROM = 100;

/**
 * The pacer of a hub's fan-outs, working as a process of niceness `nice`
 * would on a busy machine. A rest after a fan-out lasts at most a second and
 * a half, so an entry posted during one still reaches every reader within
 * the 2 s the site promises. A second at most left the cached article page 84–94 % of idle
 * under `bench:live`'s 10,000 readers and four entries a second; a second
 * and a half 91–99 %.
 */
export const fanOutPacer = (nice: number): Pacer => createPacer({ duty: dutyOf(nice), maxRestMs: 1_500 });

export function createLiveHub(deps: {
  live: Pick<LiveService, 'coverage' | 'since' | 'page'>;
  invalidator: Pick<Invalidator, 'subscribe'>;
  log: { warn(obj: object, msg: string): void };
  limits?: Partial<HubLimits>;
  /** Rests after each fan-out to many while the machine's CPUs are busy (`fanOutPacer`). Default: none. */
  pacer?: Pacer;
}): LiveHub {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const pacer = deps.pacer ?? UNPACED;
  const { live, log } = deps;
  const rooms = new Map<number, Room>();
  const byAddress = new Map<string, number>();
  let size = 0;
  let closed = false;

  const send = (room: Room, reader: Reader, chunk: Buffer) => {
    if (reader.client.buffered() > limits.maxBuffered) {
      drop(room, reader);
      return;
    }
    reader.client.write(chunk);
  };

  /**
   * The entries a reader has not had, in order, each once, in one write.
   * `together`: the fan-out's entries (new, ascending) encoded once, written
   * as they are to every reader that had none of them.
   */
  function deliver(room: Room, reader: Reader, entries: Entry[], together?: Buffer) {
    const fresh = together && entries[0] && entries[0].id > reader.lastId ? entries : unsent(entries, reader.lastId);
    if (fresh.length === 0) return;
    reader.lastId = fresh[fresh.length - 1]!.id;
    send(room, reader, fresh === entries && together ? together : eventsOf(fresh));
  }

  function drop(room: Room, reader: Reader) {
    if (!room.readers.delete(reader)) return;
    size--;
    const n = (byAddress.get(reader.ip) ?? 1) - 1;
    if (n > 0) byAddress.set(reader.ip, n);
    else byAddress.delete(reader.ip);
    if (room.readers.size === 0 && !room.busy) rooms.delete(room.id);
    reader.client.close();
  }

  /** Reads what is new for a coverage and sends it to its readers here; coalesced while a read runs. */
  async function refresh(coverageId: number) {
    const room = rooms.get(coverageId);
    if (!room) return;
    if (room.busy) {
      room.again = true;
      return;
    }
    room.busy = true;
    try {
      do {
        room.again = false;
        const [entries, coverage] = await Promise.all([live.since(coverageId, room.head), live.coverage(coverageId)]);
        const started = performance.now();
        if (entries.length) room.head = entries[entries.length - 1]!.id;
        const together = entries.length ? eventsOf(entries) : undefined;
        let written = 0;
        for (const reader of [...room.readers]) {
          if (reader.pending) reader.pending.push(...entries);
          else deliver(room, reader, entries, together);
          // Let other requests in between slices: a fan-out to thousands never holds the process for long.
          if (++written % FAN_OUT_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        if (!coverage || coverage.status === 'ended') {
          const final = `event: end\ndata: ${JSON.stringify({ status: coverage?.status ?? 'gone', endedAt: coverage?.endedAt?.toISOString() ?? null })}\n\n`;
          for (const reader of [...room.readers]) {
            reader.client.write(final);
            drop(room, reader);
          }
        }
        // On a busy machine, a rest after a fan-out to many (the room still busy): entries posted meanwhile
        // go out together in the next one, one write per reader instead of one per entry.
        if (entries.length && room.readers.size >= PACED_FROM) await pacer.step(performance.now() - started);
      } while (room.again && room.readers.size > 0);
    } catch (err) {
      log.warn({ err, coverageId }, 'could not read live entries');
    } finally {
      room.busy = false;
      if (room.readers.size === 0 && rooms.get(coverageId) === room) rooms.delete(coverageId);
    }
  }

  deps.invalidator.subscribe((tags) => {
    if (closed) return;
    const everything = tags.includes(EVERYTHING);
    for (const tag of everything ? [...rooms.keys()].map((id) => `live:${id}`) : tags) {
      const id = coverageOfTag(tag);
      if (id !== undefined && rooms.has(id)) void refresh(id);
    }
  });

  const heartbeat = setInterval(() => {
    for (const room of rooms.values()) for (const reader of [...room.readers]) send(room, reader, HEARTBEAT);
  }, limits.heartbeatMs);
  heartbeat.unref();

  return {
    get size() {
      return size;
    },

    async join(coverageId, { ip, lastEventId, client }) {
      if (size >= limits.total) return { ok: false, reason: 'total', retryAfter: 30 };
      if ((byAddress.get(ip) ?? 0) >= limits.perAddress) return { ok: false, reason: 'address', retryAfter: 30 };
      const resumeFrom = parseLastEventId(lastEventId);
      const reader: Reader = { client, ip, lastId: resumeFrom ?? 0, pending: [] };
      let room = rooms.get(coverageId);
      if (!room) {
        room = { id: coverageId, readers: new Set(), head: 0, busy: false, again: false };
        rooms.set(coverageId, room);
      }
      // Counted at once: a burst of connections from one address cannot pass the cap while reads run.
      room.readers.add(reader);
      size++;
      byAddress.set(ip, (byAddress.get(ip) ?? 0) + 1);
      const current = room;
      client.write(`retry: 3000\n\n`);
      try {
        const newest = (await live.page(coverageId, { limit: 1 })).entries[0]?.id ?? 0;
        if (current.head === 0) current.head = newest;
        if (resumeFrom !== undefined) {
          const missed = await live.since(coverageId, resumeFrom, limits.resumeMax);
          const queued = reader.pending ?? [];
          delete reader.pending;
          deliver(current, reader, [...missed, ...queued]);
        } else {
          reader.lastId = newest;
          const queued = reader.pending ?? [];
          delete reader.pending;
          deliver(current, reader, queued);
        }
        const coverage = await live.coverage(coverageId);
        if (!coverage || coverage.status === 'ended') {
          client.write(
            `event: end\ndata: ${JSON.stringify({ status: coverage?.status ?? 'gone', endedAt: coverage?.endedAt?.toISOString() ?? null })}\n\n`,
          );
          drop(current, reader);
        }
      } catch (err) {
        log.warn({ err, coverageId }, 'could not start a live stream');
        drop(current, reader);
      }
      return {
        ok: true,
        leave: () => drop(current, reader),
      };
    },

    close() {
      closed = true;
      clearInterval(heartbeat);
      for (const room of rooms.values()) for (const reader of [...room.readers]) drop(room, reader);
      rooms.clear();
    },
  };
}
