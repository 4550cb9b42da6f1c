/**
 * A Server-Sent Events reader for tests, over a real socket: the events
 * received so far (comments counted apart), the status and headers, and
 * whether the server closed the stream.
 */
import { get } from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

export interface SseReader {
  events: SseEvent[];
  comments: number;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  ended: boolean;
  /** Entry ids received, in order. */
  ids(): number[];
  close(): void;
}

export function openStream(url: string, headers: Record<string, string> = {}): SseReader {
  let buffer = '';
  const reader: SseReader = {
    events: [],
    comments: 0,
    status: 0,
    headers: {},
    ended: false,
    ids: () => reader.events.filter((e) => e.event === 'entry').map((e) => Number(e.id)),
    close: () => request.destroy(),
  };
  const request = get(url, { headers }, (res) => {
    reader.status = res.statusCode ?? 0;
    reader.headers = res.headers;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event: SseEvent = { event: 'message', data: '' };
        let fields = 0;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) reader.comments++;
          const [name, ...rest] = line.split(': ');
          const value = rest.join(': ');
          if (name === 'id') event.id = value;
          else if (name === 'event') event.event = value;
          else if (name === 'data') event.data = value;
          else continue;
          fields++;
        }
        if (fields) reader.events.push(event);
      }
    });
    res.on('end', () => {
      reader.ended = true;
    });
    res.on('close', () => {
      reader.ended = true;
    });
  });
  request.on('error', () => {
    reader.ended = true;
  });
  return reader;
}
