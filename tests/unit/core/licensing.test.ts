import {
  type Gate,
  assignLicense,
  serviceImChannel,
  serviceInteractTab,
  serviceReachableByWebsite,
  serviceReachableByWhatsApp,
  unassignLicense,
  userInteractTab,
  userReachableByWebsite,
} from '../../../bot/src/core/licensing';
import type { LicensePools, Tenant } from '../../../bot/src/core/model';
import { selectability } from '../../../bot/src/core/routing/selectability';
import { agentState, service, tenant, user } from '../../helpers/fixtures';

const T = 'tenant-1';
const codes = (g: Gate): string[] => (g.allowed ? [] : g.reasons.map((r) => r.code));

/** A tenant where the service holds `serviceLicenses` and member m1 holds `memberLicenses`. */
function setup(opts: {
  serviceLicenses?: ('contactCenter' | 'interactService')[];
  memberLicenses?: ('imModality' | 'interactUser')[];
  tenant?: Partial<Tenant>;
}) {
  const pools: Partial<LicensePools> = {
    contactCenter: { total: 5, assignees: opts.serviceLicenses?.includes('contactCenter') ? ['svc'] : [] },
    interactService: { total: 5, assignees: opts.serviceLicenses?.includes('interactService') ? ['svc'] : [] },
    imModality: { total: 5, assignees: opts.memberLicenses?.includes('imModality') ? ['m1'] : [] },
    interactUser: { total: 5, assignees: opts.memberLicenses?.includes('interactUser') ? ['m1'] : [] },
  };
  return {
    tenant: tenant(T, { ...opts.tenant, licenses: pools }),
    service: service(T, 'svc', { members: [{ userId: 'm1', active: true }] }),
    member: user(T, 'm1'),
  };
}

describe('service reachable by WhatsApp', () => {
  it.each([
    { name: 'Contact Center + an IM-licensed member', svc: ['contactCenter'], member: ['imModality'], expected: [] },
    {
      name: 'no Contact Center license',
      svc: [],
      member: ['imModality'],
      expected: ['contact-center-license-missing'],
    },
    {
      name: 'no member with the IM modality license',
      svc: ['contactCenter'],
      member: ['interactUser'],
      expected: ['no-im-licensed-member'],
    },
    { name: 'neither', svc: [], member: [], expected: ['contact-center-license-missing', 'no-im-licensed-member'] },
    { name: 'does not need the Interact add-on', svc: ['contactCenter'], member: ['imModality'], expected: [] },
  ] as const)('$name', ({ svc, member, expected }) => {
    const s = setup({ serviceLicenses: [...svc], memberLicenses: [...member] });
    expect(codes(serviceReachableByWhatsApp(s.tenant, s.service))).toEqual(expected);
  });

  it('is refused when the tenant has IM disabled', () => {
    const s = setup({
      serviceLicenses: ['contactCenter'],
      memberLicenses: ['imModality'],
      tenant: { imEnabled: false },
    });
    expect(codes(serviceReachableByWhatsApp(s.tenant, s.service))).toEqual(['tenant-im-disabled']);
  });

  it('counts only members of the service, not licensed users elsewhere', () => {
    const s = setup({ serviceLicenses: ['contactCenter'], memberLicenses: ['imModality'] });
    const noMembers = { ...s.service, members: [] };
    expect(codes(serviceReachableByWhatsApp(s.tenant, noMembers))).toEqual(['no-im-licensed-member']);
  });
});

describe('service reachable by website', () => {
  it.each([
    {
      name: 'Contact Center + Interact add-on + IM member',
      svc: ['contactCenter', 'interactService'],
      member: ['imModality'],
      expected: [],
    },
    {
      name: 'Interact service add-on missing',
      svc: ['contactCenter'],
      member: ['imModality'],
      expected: ['interact-service-addon-missing'],
    },
    {
      name: 'Contact Center missing',
      svc: ['interactService'],
      member: ['imModality'],
      expected: ['contact-center-license-missing'],
    },
    {
      name: 'no IM member',
      svc: ['contactCenter', 'interactService'],
      member: [],
      expected: ['no-im-licensed-member'],
    },
    {
      name: 'nothing at all',
      svc: [],
      member: [],
      expected: ['contact-center-license-missing', 'interact-service-addon-missing', 'no-im-licensed-member'],
    },
  ] as const)('$name', ({ svc, member, expected }) => {
    const s = setup({ serviceLicenses: [...svc], memberLicenses: [...member] });
    expect(codes(serviceReachableByWebsite(s.tenant, s.service))).toEqual(expected);
  });

  it('is refused when tenant Interact is off, with a message to show', () => {
    const s = setup({
      serviceLicenses: ['contactCenter', 'interactService'],
      memberLicenses: ['imModality'],
      tenant: { interactEnabled: false },
    });
    const gate = serviceReachableByWebsite(s.tenant, s.service);
    expect(gate).toEqual({
      allowed: false,
      reasons: [{ code: 'tenant-interact-disabled', message: 'Interact is not enabled for this tenant.' }],
    });
  });
});

/**
 * User Y of the licensing examples, directly reachable by website: the User row of the licensing table
 * is the Instant Messaging modality license, with Interact User as the add-on that gives the Interact
 * tab. A direct chat is created only for a user routing can offer it to, so both licenses are needed.
 */
describe('user directly reachable by website (User Y)', () => {
  it.each([
    {
      name: 'Interact user + IM modality license, no service membership needed',
      licenses: ['interactUser', 'imModality'],
      tenant: {},
      expected: [],
    },
    {
      name: 'Interact user license without the IM modality license: could never be offered',
      licenses: ['interactUser'],
      tenant: {},
      expected: ['im-modality-license-missing'],
    },
    {
      name: 'no Interact user license',
      licenses: ['imModality'],
      tenant: {},
      expected: ['interact-user-license-missing'],
    },
    {
      name: 'tenant Interact off',
      licenses: ['interactUser', 'imModality'],
      tenant: { interactEnabled: false },
      expected: ['tenant-interact-disabled'],
    },
    {
      name: 'tenant IM off',
      licenses: ['interactUser', 'imModality'],
      tenant: { imEnabled: false },
      expected: ['tenant-im-disabled'],
    },
  ] as const)('$name', ({ licenses, tenant, expected }) => {
    const s = setup({ memberLicenses: [...licenses], tenant });
    expect(codes(userReachableByWebsite(s.tenant, s.member))).toEqual(expected);
  });

  it('lets in exactly the users routing can offer a direct task to', () => {
    for (const licenses of [[], ['interactUser'], ['imModality'], ['interactUser', 'imModality']] as const) {
      const s = setup({ memberLicenses: [...licenses] });
      const member = { ...s.member, im: { ...s.member.im, enabled: true } };
      const agent = agentState(T, 'm1', { presence: 'available', reachable: true });
      const routable = selectability({ tenant: s.tenant, user: member, agent, service: null, now: 0 }).selectable;
      const creatable = userReachableByWebsite(s.tenant, member).allowed;
      if (creatable) expect(routable).toBe(true);
      expect(creatable).toBe(licenses.length === 2);
    }
  });
});

describe('the Interact tab', () => {
  it('exists for a user only with the Interact user license', () => {
    expect(userInteractTab(setup({ memberLicenses: ['interactUser'] }).tenant, { id: 'm1' }).allowed).toBe(true);
    expect(codes(userInteractTab(setup({ memberLicenses: ['imModality'] }).tenant, { id: 'm1' }))).toEqual([
      'interact-user-license-missing',
    ]);
  });

  it('exists for a service only with the Interact service add-on', () => {
    expect(
      serviceInteractTab(setup({ serviceLicenses: ['contactCenter', 'interactService'] }).tenant, { id: 'svc' })
        .allowed,
    ).toBe(true);
    expect(codes(serviceInteractTab(setup({ serviceLicenses: ['contactCenter'] }).tenant, { id: 'svc' }))).toEqual([
      'interact-service-addon-missing',
    ]);
  });

  it('stays (licenses stay assigned) when Interact is toggled inactive', () => {
    const s = setup({ memberLicenses: ['interactUser', 'imModality'] });
    const inactive = { ...s.member, interact: { ...s.member.interact, active: false } };
    expect(userInteractTab(s.tenant, inactive).allowed).toBe(true);
    expect(userReachableByWebsite(s.tenant, inactive).allowed).toBe(true);
    expect(s.tenant.licenses.interactUser.assignees).toEqual(['m1']);
  });
});

describe('IM channels of a service', () => {
  it.each(['interact', 'whatsapp'] as const)('%s is gated by the Contact Center license', (channel) => {
    expect(serviceImChannel(setup({ serviceLicenses: ['contactCenter'] }).tenant, { id: 'svc' }, channel).allowed).toBe(
      true,
    );
    expect(codes(serviceImChannel(setup({}).tenant, { id: 'svc' }, channel))).toEqual([
      'contact-center-license-missing',
    ]);
  });
});

describe('license pools', () => {
  const pools = (over: Partial<LicensePools>) => tenant(T, { licenses: over });

  it('assigns from a pool with room', () => {
    const result = assignLicense(pools({ imModality: { total: 2, assignees: ['a'] } }), 'imModality', {
      kind: 'user',
      id: 'b',
    });
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ imModality: { total: 2, assignees: ['a', 'b'] } }),
    });
  });

  it('cannot be over-assigned', () => {
    const result = assignLicense(pools({ imModality: { total: 2, assignees: ['a', 'b'] } }), 'imModality', {
      kind: 'user',
      id: 'c',
    });
    expect(result).toEqual({
      ok: false,
      refusal: { code: 'pool-exhausted', message: 'All 2 Instant Messaging modality licenses are assigned.' },
    });
  });

  it('a pool of zero assigns nothing', () => {
    expect(
      assignLicense(pools({ interactUser: { total: 0, assignees: [] } }), 'interactUser', { kind: 'user', id: 'a' }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'pool-exhausted' },
    });
  });

  it('does not assign the same license twice to one holder', () => {
    expect(
      assignLicense(pools({ imModality: { total: 5, assignees: ['a'] } }), 'imModality', { kind: 'user', id: 'a' }),
    ).toMatchObject({
      ok: false,
      refusal: { code: 'already-assigned' },
    });
  });

  it.each([
    { kind: 'contactCenter', holder: 'user' },
    { kind: 'interactService', holder: 'user' },
    { kind: 'imModality', holder: 'service' },
    { kind: 'interactUser', holder: 'service' },
  ] as const)('refuses a $kind license for a $holder', ({ kind, holder }) => {
    expect(assignLicense(pools({}), kind, { kind: holder, id: 'x' })).toMatchObject({
      ok: false,
      refusal: { code: 'wrong-holder' },
    });
  });

  it('assigns the Interact service add-on only on top of Contact Center', () => {
    expect(assignLicense(pools({}), 'interactService', { kind: 'service', id: 'svc' })).toMatchObject({
      ok: false,
      refusal: { code: 'requires-contact-center' },
    });
    const withCc = pools({ contactCenter: { total: 1, assignees: ['svc'] } });
    expect(assignLicense(withCc, 'interactService', { kind: 'service', id: 'svc' }).ok).toBe(true);
  });

  it('returns a license to the pool', () => {
    const result = unassignLicense(pools({ imModality: { total: 2, assignees: ['a', 'b'] } }), 'imModality', 'a');
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ imModality: { total: 2, assignees: ['b'] } }),
    });
  });

  it('refuses to remove a license that is not assigned', () => {
    expect(unassignLicense(pools({}), 'imModality', 'a')).toMatchObject({
      ok: false,
      refusal: { code: 'not-assigned' },
    });
  });

  it('keeps Contact Center while the Interact add-on depends on it', () => {
    const both = pools({
      contactCenter: { total: 1, assignees: ['svc'] },
      interactService: { total: 1, assignees: ['svc'] },
    });
    expect(unassignLicense(both, 'contactCenter', 'svc')).toMatchObject({
      ok: false,
      refusal: { code: 'addon-depends-on-license' },
    });
  });
});
