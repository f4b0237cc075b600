/**
 * How much longer than the first wait the wait between two resends of an
 * unconfirmed outbox message may grow (120 s → at most 1 h in production).
 */
export const RESEND_CAP_FACTOR = 30;

/**
 * How long the profile waits, after sending its oldest unconfirmed outbox
 * message, before sending it again: `firstWait` the first time, doubled for
 * each resend already made without a confirmation in between, at most
 * `firstWait × RESEND_CAP_FACTOR`. A consumer that is down or far behind
 * is not sent every message again every `firstWait`.
 */
export function resendWait(firstWait: number, resends: number): number {
  const cap = firstWait * RESEND_CAP_FACTOR;
  return Math.min(cap, firstWait * 2 ** Math.min(Math.max(0, resends), 30));
}
