import { describe, expect, it } from 'vitest';
import { assertUrlAllowed, isForbiddenAddress, isHostAllowed } from './host-policy.js';

describe('host policy', () => {
  it.each([
    ['169.254.169.254', true],
    ['169.254.0.1', true],
    ['[fe80::1]', true],
    ['febf::1', true],
    ['::ffff:169.254.169.254', true],
    ['[::ffff:a9fe:a9fe]', true],
    ['fd00:ec2::254', true],
    ['100.100.100.200', true],
    ['metadata.google.internal', true],
    ['METADATA.GOOGLE.INTERNAL.', true],
    ['127.0.0.1', false],
    ['10.0.0.1', false],
    ['::1', false],
    ['fec0::1', false],
    ['backstage.example.com', false],
  ])('isForbiddenAddress(%s) = %s', (address, forbidden) => {
    expect(isForbiddenAddress(address)).toBe(forbidden);
  });

  it.each([
    ['https://backstage.example.com/x', ['backstage.example.com'], true],
    ['https://BACKSTAGE.example.com/x', ['backstage.example.com'], true],
    ['https://backstage.example.com:8443/x', ['backstage.example.com:8443'], true],
    ['https://backstage.example.com:8443/x', ['backstage.example.com:9443'], false],
    ['https://raw.git.example.com/x', ['*.example.com'], true],
    ['https://example.com/x', ['*.example.com'], false],
    ['https://evil-example.com/x', ['*.example.com'], false],
    ['https://backstage.example.com.evil.test/x', ['backstage.example.com'], false],
    ['http://localhost:7007/', [], false],
    ['http://localhost:7007/', ['localhost'], true],
  ])('isHostAllowed(%s, %j) = %s', (url, allowed, expected) => {
    expect(isHostAllowed(new URL(url), allowed)).toBe(expected);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', ['169.254.169.254'], /link-local or cloud metadata/],
    ['http://0xa9.0xfe.0xa9.0xfe/', ['169.254.169.254'], /link-local or cloud metadata/],
    ['file:///etc/passwd', ['localhost'], /only http and https/],
    ['http://127.0.0.1/', [], /not in the allowed hosts \(none configured\)/],
  ])('assertUrlAllowed(%s) throws %s', async (url, allowed, message) => {
    await expect(assertUrlAllowed(new URL(url), allowed)).rejects.toMatchObject({ code: 'YS_ERR_CATALOG_INVALID', message: expect.stringMatching(message) });
  });
});
