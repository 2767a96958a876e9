import { randomInt } from 'node:crypto';

/** Meteor's `Random.id()` alphabet: no 0, 1, I, O, V, l to avoid look-alikes. */
const UNMISTAKABLE = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

export function randomId(length = 17): string {
  let id = '';
  for (let i = 0; i < length; i++) id += UNMISTAKABLE[randomInt(UNMISTAKABLE.length)];
  return id;
}

export const ID_PATTERN = /^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/;

/**
 * Timestamps that never repeat: history paging uses `end` exclusively, and two messages in the same
 * millisecond would make a page boundary drop one. Rocket.Chat's clock can collide; ours does not.
 */
export class MonotonicClock {
  private last = 0;

  now(): Date {
    this.last = Math.max(Date.now(), this.last + 1);
    return new Date(this.last);
  }
}
