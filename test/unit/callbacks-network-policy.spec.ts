import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CallbackOptions } from '../../src/callbacks/callback-options';
import { CallbackSender } from '../../src/callbacks/callback-sender';
import { BlockedAddressError, guardedLookup, isBlockedAddress, refusedUrlReason } from '../../src/callbacks/network-policy';

describe('callback network policy', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.31.255.255', true],
    ['172.32.0.1', false],
    ['192.168.0.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['8.8.8.8', false],
    ['93.184.215.14', false],
    ['::1', true],
    ['::', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['2606:4700:4700::1111', false],
    ['::ffff:7f00:1', true],
    ['64:ff9b::808:808', false],
    ['64:ff9b::a00:1', true],
    ['64:ff9b::10.0.0.1', true],
    ['64:ff9b:1::808:808', true],
    ['2002:c0a8:101::1', true],
    ['2002:808:808::1', false],
    ['2001:db8::1', true],
    ['not-an-address', true],
  ])('%s is blocked: %s', (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked);
  });

  it('refuses literal private hosts and localhost names at creation, leaves other names to delivery', () => {
    expect(refusedUrlReason('http://LOCALHOST:8080/x')).toBe('localhost is this machine');
    expect(refusedUrlReason('http://localhost.:8080/x')).toBe('localhost is this machine');
    expect(refusedUrlReason('http://[::ffff:127.0.0.1]/x')).toBe('::ffff:7f00:1 is a loopback, private, link-local or reserved address');
    expect(refusedUrlReason('http://[::1]:8080/x')).toBe('::1 is a loopback, private, link-local or reserved address');
    expect(refusedUrlReason('https://hooks.example.org/x')).toBeNull();
  });

  it('resolves names but refuses one that leads to a blocked address', async () => {
    const error = await new Promise<Error | null>((resolve) => guardedLookup('localhost', {}, (e) => resolve(e)));
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error!.message).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a loopback, private, link-local or reserved address$/);
  });

  it('hands a public address on in both forms of the lookup contract (one address, or all)', async () => {
    const one = await new Promise<unknown[]>((resolve) => guardedLookup('93.184.215.14', {}, (...args: unknown[]) => resolve(args)));
    expect(one).toEqual([null, '93.184.215.14', 4]);
    const all = await new Promise<unknown[]>((resolve) => guardedLookup('2606:4700:4700::1111', { all: true }, (...args: unknown[]) => resolve(args)));
    expect(all).toEqual([null, [{ address: '2606:4700:4700::1111', family: 6 }]]);
  });

  describe('CallbackSender', () => {
    let server: Server;
    let port: number;
    let received = 0;
    beforeAll(async () => {
      server = createServer((req, res) => {
        received++;
        req.resume();
        req.on('end', () => res.writeHead(204).end());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const sender = (allowPrivateNetworks: boolean): CallbackSender =>
      new CallbackSender({ timeoutMs: 2000, allowPrivateNetworks } as CallbackOptions);
    const payload = { id: '1', type: 'message.created', roomId: 'r', createdAt: new Date().toISOString(), data: {} };

    it('does not connect to a name that resolves to loopback, and does not retry it', async () => {
      const s = sender(false);
      const result = await s.send(`http://localhost:${port}/hook`, 'whsec_0123456789abcdef', payload);
      s.onModuleDestroy();
      expect(result).toMatchObject({ kind: 'rejected', httpStatus: null, error: expect.stringMatching(/^blocked: localhost resolves to .* \(CALLBACK_ALLOW_PRIVATE_NETWORKS\)$/) });
      expect(result.error).toMatch(/^blocked: localhost resolves to/);
      expect(received).toBe(0);
    });

    it('does not connect to a private literal either (a subscription made while they were allowed)', async () => {
      const s = sender(false);
      const result = await s.send(`http://127.0.0.1:${port}/hook`, 'whsec_0123456789abcdef', payload);
      s.onModuleDestroy();
      expect(result).toMatchObject({ kind: 'rejected', error: expect.stringMatching(/^blocked: 127\.0\.0\.1 is a loopback/) });
      expect(received).toBe(0);
    });

    it('delivers there when CALLBACK_ALLOW_PRIVATE_NETWORKS is set', async () => {
      const s = sender(true);
      const result = await s.send(`http://localhost:${port}/hook`, 'whsec_0123456789abcdef', payload);
      s.onModuleDestroy();
      expect(result).toMatchObject({ kind: 'delivered', httpStatus: 204, error: null });
      expect(received).toBe(1);
    });
  });
});
