/**
 * Webhooks: pure types and rules. Admins register an address for article
 * events; each delivery is a JSON POST signed with the webhook's own secret:
 *
 *   Dateline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
 *
 * A receiver recomputes the HMAC over the timestamp, a dot and the raw body,
 * compares in constant time, and refuses a timestamp too far from its clock
 * (a replayed delivery).
 *
 * @example
 *   const header = signatureHeader('whsec_…', '{"event":"article.published"}', new Date());
 *   verifySignature('whsec_…', '{"event":"article.published"}', header); // true
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_EVENTS = ['article.published', 'article.updated', 'article.unpublished'] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

export const SIGNATURE_HEADER = 'dateline-signature';
/** A receiver should refuse deliveries signed longer ago than this (or this far ahead). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
export const URL_MAX = 2000;

export interface Webhook {
  id: number;
  url: string;
  events: WebhookEvent[];
  secret: string;
  createdAt: Date;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'failed';

export interface Delivery {
  id: number;
  webhookId: number;
  event: WebhookEvent;
  status: DeliveryStatus;
  attempts: number;
  responseStatus?: number;
  lastError?: string;
  createdAt: Date;
  lastAttemptAt?: Date;
}

/** A new secret: 32 random bytes, prefixed so that one pasted in the wrong place is recognised. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `t=…,v1=…` for this body at this time. */
export function signatureHeader(secret: string, body: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, `${t}.${body}`)}`;
}

/**
 * What a receiver does: true when the header signs this exact body with this
 * secret, within the tolerance of `now`.
 */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  now = new Date(),
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  const parts = new Map((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isInteger(t) || !v1 || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return false;
  return timingSafeEqual(Buffer.from(hmac(secret, `${t}.${body}`), 'hex'), Buffer.from(v1, 'hex'));
}

const hmac = (secret: string, text: string) => createHmac('sha256', secret).update(text).digest('hex');

/** Why an address cannot take deliveries, or undefined: absolute http(s), no credentials, not too long. */
export function urlProblem(url: string): string | undefined {
  if (url.length > URL_MAX) return `must be at most ${URL_MAX} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http:// or https:// address';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must be an http:// or https:// address';
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  return undefined;
}

export const isWebhookEvent = (name: string): name is WebhookEvent =>
  (WEBHOOK_EVENTS as readonly string[]).includes(name);
