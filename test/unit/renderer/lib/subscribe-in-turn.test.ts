import { describe, expect, it } from 'vitest';
import { subscribeInTurn } from '../../../../renderer/lib/subscribe-in-turn';
import { yieldToPage } from '../../../../renderer/lib/yield';

/** A subscription that records when it was made and ended, and in which turn of the event loop. */
function recorder() {
  const log: string[] = [];
  let turn = 0;
  const make = (name: string) => () => {
    log.push(`on ${name} @${turn}`);
    return () => void log.push(`off ${name}`);
  };
  const nextTurn = async () => {
    await yieldToPage();
    turn += 1;
  };
  return { log, make, nextTurn };
}

describe('subscribeInTurn', () => {
  it('makes no subscription in the calling task, then one per task, in order', async () => {
    const { log, make, nextTurn } = recorder();
    const off = subscribeInTurn([make('a'), make('b'), make('c')]);
    expect(log).toEqual([]);
    for (let i = 0; i < 4; i++) await nextTurn();
    expect(log).toEqual(['on a @0', 'on b @1', 'on c @2']);
    off();
    expect(log.slice(3)).toEqual(['off a', 'off b', 'off c']);
  });

  it('ended before any was made: none is ever made', async () => {
    const { log, make, nextTurn } = recorder();
    subscribeInTurn([make('a'), make('b')])();
    for (let i = 0; i < 4; i++) await nextTurn();
    expect(log).toEqual([]);
  });

  it('ended part-way: ends those made and never makes the rest; ending twice does nothing more', async () => {
    const { log, make, nextTurn } = recorder();
    const off = subscribeInTurn([make('a'), make('b'), make('c')]);
    await nextTurn();
    expect(log).toEqual(['on a @0']);
    off();
    off();
    for (let i = 0; i < 4; i++) await nextTurn();
    expect(log).toEqual(['on a @0', 'off a']);
  });

  it('runs what follows once every subscription is made, in a task after the last; never once ended', async () => {
    const { log, make, nextTurn } = recorder();
    subscribeInTurn([make('a'), make('b')], () => void log.push('then'));
    const ended = subscribeInTurn([make('c')], () => void log.push('never'));
    ended();
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(log).toEqual(['on a @0', 'on b @1', 'then']);
  });
});
