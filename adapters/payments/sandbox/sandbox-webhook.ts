import type { Clock, PaymentWebhook } from '../../../engine/index.ts';
import { readSandboxEvent, type SandboxEvent } from './sandbox-event.ts';
import { SANDBOX_SIGNATURE_HEADER, sandboxSignatureProblem } from './sandbox-signature.ts';

/** True when a parsed body has the shape of a {@link SandboxEvent}. */
function isSandboxEvent(value: unknown): value is SandboxEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Partial<SandboxEvent>;
  const data = event.data as Partial<SandboxEvent['data']> | undefined;
  return typeof event.id === 'string' && typeof event.type === 'string' && typeof data?.ref === 'string'
    && typeof data.amount?.minor === 'number' && typeof data.amount.currency === 'string';
}

/**
 * The sandbox's webhook: checks {@link SANDBOX_SIGNATURE_HEADER} over the raw
 * body with the sandbox secret (five minutes' tolerance either way, by the
 * clock) and reads events with {@link readSandboxEvent}. Mounted, like every
 * provider's, at `POST /webhooks/payments/sandbox`.
 *
 * @example
 * ```ts
 * const webhook = sandboxWebhook(secret, systemClock);
 * webhook.verify({ body, headers }); // { ok: true, event } or { ok: false, reason }
 * ```
 */
export function sandboxWebhook(secret: string, clock: Clock, toleranceSeconds = 300): PaymentWebhook<SandboxEvent> {
  return {
    verify({ body, headers }) {
      const header = headers[SANDBOX_SIGNATURE_HEADER];
      if (typeof header !== 'string' || body.length === 0) return { ok: false, reason: `A ${SANDBOX_SIGNATURE_HEADER} header and a JSON body are required` };
      const problem = sandboxSignatureProblem(secret, body, header, clock.now(), toleranceSeconds);
      if (problem) return { ok: false, reason: problem };
      try {
        const event: unknown = JSON.parse(body.toString('utf8'));
        return isSandboxEvent(event) ? { ok: true, event } : { ok: false, reason: 'The body is not a sandbox event' };
      } catch {
        return { ok: false, reason: 'The body is not JSON' };
      }
    },
    read: readSandboxEvent,
  };
}
