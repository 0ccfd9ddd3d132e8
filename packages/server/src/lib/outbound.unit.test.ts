import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, isPrivateAddress, OutboundError } from './outbound.ts';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fd00::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['8.8.8.8', false],
    ['2606:4700::1111', false],
    // Every IPv6 form that embeds a private or loopback IPv4 (issue 10 defect 4).
    ['::127.0.0.1', true],
    ['::7f00:1', true],
    ['::169.254.169.254', true],
    ['::a9fe:a9fe', true],
    ['::ffff:0:127.0.0.1', true],
    ['::ffff:0:a9fe:a9fe', true],
    ['::ffff:0:7f00:1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:10.0.0.1', true],
    ['0:0:0:0:0:ffff:c0a8:101', true],
    ['2002:7f00:1::', true],
    ['2002:a9fe:a9fe::1', true],
    ['64:ff9b::127.0.0.1', true],
    ['64:ff9b::a00:1', true],
    ['64:ff9b:1::a9fe:a9fe', true],
    ['fe80::1%eth0', true],
    ['::ffff:8.8.8.8', false],
    ['2a00:1450:4007:80e::200e', false],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('checkOutboundUrl', () => {
  const strict = { outboundAllowedHosts: [] as string[] };

  it('refuses a name that resolves to a loopback address (DNS, not just literals)', async () => {
    await expect(checkOutboundUrl('http://localhost:9/hook', strict)).rejects.toMatchObject({
      name: OutboundError.name,
    });
    await expect(checkOutboundUrl('http://localhost:9/hook', strict)).rejects.toThrow(/private or reserved/);
  });

  it('allows a listed host and pins the checked address', async () => {
    const target = await checkOutboundUrl('http://localhost:9/hook', { outboundAllowedHosts: ['localhost'] });
    expect(['127.0.0.1', '::1']).toContain(target?.address);
  });

  it.each([
    'http://[::127.0.0.1]/',
    'http://[::169.254.169.254]/',
    'http://[::ffff:0:127.0.0.1]/',
    'http://[::ffff:0:a9fe:a9fe]/',
    'https://[2002:a9fe:a9fe::]/',
    'http://[64:ff9b::10.0.0.1]/',
  ])('refuses the IPv6 literal %s', async (url) => {
    await expect(checkOutboundUrl(url, strict)).rejects.toThrow(/private or reserved/);
  });

  it.each(['ftp://example.com/', 'file:///etc/passwd', 'gopher://x', 'not a url'])(
    'refuses %s',
    async (url) => {
      await expect(checkOutboundUrl(url, strict)).rejects.toBeInstanceOf(OutboundError);
    },
  );

  it('accepts an unresolvable name at create time only when asked to', async () => {
    await expect(
      checkOutboundUrl('https://does-not-exist.invalid/', strict, { requireResolution: false }),
    ).resolves.toBeNull();
    await expect(checkOutboundUrl('https://does-not-exist.invalid/', strict)).rejects.toThrow(
      /does not resolve/,
    );
  });
});
