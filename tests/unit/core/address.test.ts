import {
  addressRefusal,
  allowsAddress,
  allowsName,
  hostVerdict,
  isPublicAddress,
  nonPublicRange,
  parseAllowList,
  parseIp,
  savedUrlHostProblem,
} from '../../../bot/src/core/net/address';

const allow = (text: string) => {
  const parsed = parseAllowList(text);
  if (!parsed.ok) throw new Error(parsed.refusal);
  return parsed.value;
};
const ip = (text: string) => {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(`not an IP: ${text}`);
  return parsed;
};

describe('address classifier', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared address space (CGNAT)'],
    ['100.127.255.255', 'shared address space (CGNAT)'],
    ['169.254.169.254', 'link-local, cloud metadata'],
    ['0.0.0.0', '"this network"'],
    ['0.1.2.3', '"this network"'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'IETF protocol assignments'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique local'],
    ['fd12:3456::1', 'unique local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'IPv4-mapped 127.0.0.1: loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped 127.0.0.1: loopback'],
    ['0:0:0:0:0:ffff:a9fe:a9fe', 'IPv4-mapped 169.254.169.254: link-local, cloud metadata'],
    ['::ffff:10.0.0.1', 'IPv4-mapped 10.0.0.1: private'],
    ['64:ff9b::127.0.0.1', 'NAT64 127.0.0.1: loopback'],
    ['64:ff9b::a9fe:a9fe', 'NAT64 169.254.169.254: link-local, cloud metadata'],
    ['2002:7f00:1::', '6to4 127.0.0.1: loopback'],
    ['2002:c0a8:101::1', '6to4 192.168.1.1: private'],
    ['::127.0.0.1', 'reserved'],
    ['100::1', 'discard-only'],
  ])('%s is not public (%s)', (address, range) => {
    expect(nonPublicRange(ip(address))).toBe(range);
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '169.255.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001::200e',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('%s is public', (address) => {
    expect(nonPublicRange(ip(address))).toBeNull();
    expect(isPublicAddress(address)).toBe(true);
  });

  it.each([
    '2130706433',
    '0x7f.1',
    '0177.0.0.1',
    '127.1',
    '1.2.3.256',
    '1::2::3',
    ':::1',
    '1:2:3:4:5:6:7:8:9',
    '12345::',
    'localhost',
    '',
  ])('"%s" is not an IP (the URL parser canonicalises odd spellings first)', (text) => {
    expect(parseIp(text)).toBeUndefined();
    expect(isPublicAddress(text)).toBe(false);
  });

  it('parses IPv6 forms to the same bytes', () => {
    expect(ip('::ffff:127.0.0.1').bytes).toEqual(ip('::ffff:7f00:1').bytes);
    expect(ip('1:2:3:4:5:6:1.2.3.4').bytes).toEqual(ip('1:2:3:4:5:6:102:304').bytes);
    expect(ip('1::').bytes).toEqual([0, 1, ...Array.from({ length: 14 }, () => 0)]);
  });
});

describe('outbound allow-list', () => {
  it('reads hosts, *.suffix patterns, addresses and CIDRs, and refuses anything else', () => {
    expect(allow(' crm.internal , *.Corp.Example,10.20.0.0/16, fd00::/8, 127.0.0.1 ').map((e) => e.kind)).toEqual([
      'host',
      'suffix',
      'cidr',
      'cidr',
      'cidr',
    ]);
    expect(allow('')).toEqual([]);
    for (const bad of ['10.0.0.0/33', 'fd00::/129', 'http://x.test', '*', '*.', 'a b', '127.1', '10.0.0'])
      expect(parseAllowList(bad).ok).toBe(false);
  });

  it('matches names exactly or below a suffix, and addresses by CIDR (IPv4-mapped too)', () => {
    const list = allow('crm.internal, *.corp.example, 10.20.0.0/16, fd00::/8, 127.0.0.1');
    expect(allowsName(list, 'CRM.internal.')).toBe(true);
    expect(allowsName(list, 'api.corp.example')).toBe(true);
    expect(allowsName(list, 'a.b.corp.example')).toBe(true);
    expect(allowsName(list, 'corp.example')).toBe(false);
    expect(allowsName(list, 'evilcorp.example')).toBe(false);
    expect(allowsName(list, 'crm.internal.evil.test')).toBe(false);
    expect(allowsAddress(list, ip('10.20.3.4'))).toBe(true);
    expect(allowsAddress(list, ip('10.21.0.1'))).toBe(false);
    expect(allowsAddress(list, ip('::ffff:10.20.0.9'))).toBe(true);
    expect(allowsAddress(list, ip('fd00:1::2'))).toBe(true);
    expect(allowsAddress(list, ip('fe80::1'))).toBe(false);
    expect(allowsAddress(list, ip('127.0.0.1'))).toBe(true);
    expect(allowsAddress(list, ip('127.0.0.2'))).toBe(false);
    expect(addressRefusal('127.0.0.1', list)).toBeNull();
    expect(addressRefusal('127.0.0.2', list)).toBe('the address 127.0.0.2 is not public (loopback)');
  });
});

describe('verdict on a URL host', () => {
  const hostOf = (url: string) => new URL(url).hostname;

  it('refuses non-public literals, including odd numeric spellings the URL parser turns into 127.0.0.1', () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://0.0.0.0/',
      'http://[fd00::1]/',
    ]) {
      const verdict = hostVerdict(hostOf(url), []);
      expect({ url, kind: verdict.kind }).toEqual({ url, kind: 'refused' });
    }
    expect(hostVerdict(hostOf('http://0x7f.1/'), [])).toEqual({
      kind: 'refused',
      detail: 'the address 127.0.0.1 is not public (loopback)',
    });
  });

  it('refuses localhost names outright, leaves other names to be resolved, and trusts allow-listed names', () => {
    expect(hostVerdict('localhost', [])).toEqual({ kind: 'refused', detail: 'the host localhost is this server' });
    expect(hostVerdict('api.localhost', []).kind).toBe('refused');
    expect(hostVerdict('LOCALHOST.', []).kind).toBe('refused');
    expect(hostVerdict('crm.example.com', [])).toEqual({ kind: 'name', name: 'crm.example.com', trusted: false });
    expect(hostVerdict('crm.internal', allow('crm.internal'))).toEqual({
      kind: 'name',
      name: 'crm.internal',
      trusted: true,
    });
    expect(hostVerdict('8.8.8.8', [])).toEqual({ kind: 'address', address: '8.8.8.8', version: 4 });
    expect(hostVerdict('127.0.0.1', allow('127.0.0.0/8'))).toEqual({
      kind: 'address',
      address: '127.0.0.1',
      version: 4,
    });
  });

  it('at save time names the address and asks for the allow-list; odd spellings of public addresses are refused too', () => {
    expect(savedUrlHostProblem('http://127.0.0.1/', [])).toBe(
      'the address 127.0.0.1 is not public (loopback); ask the deployment to allow-list it',
    );
    expect(savedUrlHostProblem('http://169.254.169.254/', [])).toContain('the address 169.254.169.254 is not public');
    expect(savedUrlHostProblem('http://2130706433:8080/x', [])).toBe(
      'the host "2130706433" means 127.0.0.1, and the address 127.0.0.1 is not public (loopback); ask the deployment to allow-list it',
    );
    expect(savedUrlHostProblem('http://user@0x7f.1/', [])).toContain('the address 127.0.0.1 is not public');
    expect(savedUrlHostProblem('http://0x08080808/', [])).toBe(
      'write the address as 8.8.8.8: "0x08080808" is an unusual spelling of it',
    );
    expect(savedUrlHostProblem('https://localhost:3978/api', [])).toBe(
      'the host localhost is this server; ask the deployment to allow-list it',
    );
    expect(savedUrlHostProblem('https://[::1]:8081/', [])).toContain('the address ::1 is not public (loopback)');
    // Names are not resolved at save time; allow-listed hosts and public literals are fine.
    expect(savedUrlHostProblem('https://crm.example.com/', [])).toBeNull();
    expect(savedUrlHostProblem('https://8.8.8.8./', [])).toBeNull();
    expect(savedUrlHostProblem('http://127.0.0.1:7000/', allow('127.0.0.1'))).toBeNull();
    expect(savedUrlHostProblem('http://localhost/', allow('localhost'))).toBeNull();
  });
});
