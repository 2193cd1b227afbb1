import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TeamsActivity, agentText, identityOf, quotedMessageIds } from '../../../bot/src/channels/teams/activity';

const fixture = (name: string, vars: Record<string, string>) => {
  let raw = readFileSync(path.resolve(__dirname, '../../fixtures/teams', `${name}.json`), 'utf8');
  for (const [k, v] of Object.entries(vars)) raw = raw.split(`{{${k}}}`).join(v);
  return TeamsActivity.parse(JSON.parse(raw));
};
const vars = {
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  botAppId: '8f2d6c1a-4b3e-4f5a-9c7d-2e1f0a9b8c7d',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  aadObjectId: '6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9',
  conversationId: 'a:1abc',
  agentAccountId: '29:1xyz',
  agentName: 'Alex Wilber',
  messageId: '1767603990000',
  quotedMessageId: '1767603960000',
  quotedPreview: 'My parcel is late',
  text: 'Let me check',
};

describe('reading Teams activities', () => {
  it('finds the agent: tenant and aadObjectId', () => {
    expect(identityOf(fixture('message', vars))).toEqual({
      tenantId: vars.tenantId,
      aadObjectId: vars.aadObjectId,
      name: vars.agentName,
    });
  });

  it('reads the quoted message of a current Teams reply, and the text without its placeholder', () => {
    const activity = fixture('message-quoted-reply', vars);
    expect(quotedMessageIds(activity)).toEqual(['1767603960000']);
    expect(agentText(activity)).toBe('Let me check');
  });

  it('reads the quoted message of an older client’s reply (HTML blockquote)', () => {
    expect(quotedMessageIds(fixture('message-quoted-reply-legacy', vars))).toEqual(['1767603960000']);
  });

  it('quotes nothing in a plain message, even with an HTML copy of the text', () => {
    expect(quotedMessageIds(fixture('message', vars))).toEqual([]);
  });

  it('turns formatted text into the plain text the agent typed', () => {
    const activity = TeamsActivity.parse({
      ...fixture('message', vars),
      textFormat: 'xml',
      text: '<p>Hello <strong>Casey</strong> &amp; welcome<br>Line two</p><at>Contact Center</at>',
    });
    expect(agentText(activity)).toBe('Hello Casey & welcome\nLine two');
  });

  it.each([
    ['comparisons', 'if a < b and c > d'],
    ['a key in angle brackets', 'Press <Enter> to continue'],
    ['something that looks like a reference', 'Write &amp; for an ampersand, &lt;b&gt; for bold'],
    ['something that looks like a tag', 'Type <b>yes</b> in the form'],
  ])('keeps a plain message as typed: %s', (_name, text) => {
    expect(agentText(fixture('message', { ...vars, text }))).toBe(text);
  });

  it('keeps a message without a text format as typed', () => {
    const { textFormat: _drop, ...rest } = fixture('message', { ...vars, text: 'if a < b and c > d' });
    expect(agentText(TeamsActivity.parse(rest))).toBe('if a < b and c > d');
  });

  it.each(['xml', 'markdown'])('decodes the references of a %s message exactly once', (textFormat) => {
    const activity = TeamsActivity.parse({
      ...fixture('message', vars),
      textFormat,
      text: '<p>if a &lt; b and c &gt; d, press &lt;Enter&gt;; write &amp;amp; or &#38;lt; &#x1F600;</p>',
    });
    expect(agentText(activity)).toBe('if a < b and c > d, press <Enter>; write &amp; or &lt; \u{1F600}');
  });

  it('reads a bare < in a formatted message as text, not as the start of a tag', () => {
    const activity = TeamsActivity.parse({
      ...fixture('message', vars),
      textFormat: 'markdown',
      text: 'if a < b and c > d',
    });
    expect(agentText(activity)).toBe('if a < b and c > d');
  });

  it('refuses an activity without a service URL', () => {
    const { serviceUrl: _drop, ...rest } = fixture('message', vars);
    expect(TeamsActivity.safeParse(rest).success).toBe(false);
  });
});
