import { compareVersions, parseVersion } from '../../tools/rocketchat-sim';
import { atLeast } from '../../tools/rocketchat-sim/version';

describe('Rocket.Chat version comparison', () => {
  it.each([
    ['8.8.1', '8.8.1', 0],
    ['8.10.0', '8.9.9', 1],
    ['7.10.3', '7.10.4', -1],
    ['9.0.0', '8.99.99', 1],
    ['8.3.0-rc.2', '8.3.0', 0],
    ['8.3', '8.3.0', 0],
  ])('compares %s with %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
    expect(Math.sign(compareVersions(b, a))).toBe(-sign || 0);
  });

  it('ignores a pre-release or build suffix and refuses what is not a version', () => {
    expect(parseVersion('8.0.0-develop+sim')).toEqual([8, 0, 0]);
    expect(atLeast('8.3.0-rc.1', '8.3.0')).toBe(true);
    expect(() => parseVersion('latest')).toThrow(/not a Rocket.Chat version/);
  });
});
