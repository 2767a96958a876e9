import { featuresOf, parseVersion } from '../../../src/rocketchat/rocketchat-version';
import { RocketChatVersionTracker } from '../../../src/rocketchat/rocketchat-version.tracker';

describe('Rocket.Chat versions', () => {
  it.each([
    ['8.8.1', { major: 8, minor: 8, patch: 1 }],
    ['7.10', { major: 7, minor: 10, patch: 0 }],
    ['9.0.0-rc.2', { major: 9, minor: 0, patch: 0 }],
    ['8.8.1-sim', { major: 8, minor: 8, patch: 1 }],
    ['unknown', undefined],
    ['', undefined],
  ])('parses %j', (text, version) => {
    expect(parseVersion(text)).toEqual(version);
  });

  it.each([
    ['7.10.3', 'room.transfer'],
    ['7.13.9', 'room.transfer'],
    ['8.0.0', 'visitor/department.transfer'],
    ['8.8.1', 'visitor/department.transfer'],
    ['9.0.0', 'visitor/department.transfer'],
  ])('transfers to a department on %s through livechat/%s', (version, endpoint) => {
    expect(featuresOf(parseVersion(version)).departmentTransfer).toBe(endpoint);
  });

  it('assumes the newest behaviour while the version is unknown', () => {
    expect(featuresOf(undefined).departmentTransfer).toBe('visitor/department.transfer');
  });
});

describe('RocketChatVersionTracker', () => {
  it('keeps a configured version whatever Rocket.Chat reports, and never asks', async () => {
    const fetch = jest.fn(async () => '8.8.1');
    const tracker = new RocketChatVersionTracker('7.10.3', fetch, () => undefined);
    await tracker.learn();
    tracker.accept('8.8.1');
    expect(tracker.current()).toEqual({ version: '7.10.3', source: 'configured' });
    expect(fetch).not.toHaveBeenCalled();
    expect(tracker.features().departmentTransfer).toBe('room.transfer');
  });

  it('learns once at a time, and again only when Rocket.Chat answers after an outage', async () => {
    const versions = ['7.10.3', '8.8.1'];
    let calls = 0;
    const changes: string[] = [];
    const tracker = new RocketChatVersionTracker(undefined, async () => versions[calls++]!, (v) => changes.push(v));
    expect(tracker.current()).toEqual({ version: null, source: 'unknown' });
    await Promise.all([tracker.ensureKnown(), tracker.ensureKnown()]);
    expect(calls).toBe(1);
    expect(tracker.current()).toEqual({ version: '7.10.3', source: 'learnt' });

    tracker.noteAnswered(); // no outage: nothing to learn
    await tracker.ensureKnown();
    expect(calls).toBe(1);

    tracker.noteUnavailable();
    tracker.noteAnswered(); // back: maybe upgraded
    await tracker.learn();
    expect(tracker.current().version).toBe('8.8.1');
    expect(changes).toEqual(['7.10.3', '8.8.1']);
  });

  it('keeps what it knew when learning fails', async () => {
    const tracker = new RocketChatVersionTracker(undefined, async () => {
      throw new Error('down');
    }, () => undefined);
    await tracker.learn();
    expect(tracker.current()).toEqual({ version: null, source: 'unknown' });
  });
});
