import fc from 'fast-check';
import { renderView } from '../../../bot/src/channels/teams/render';
import { texts } from '../../../bot/src/channels/teams/texts';
import { escapeTeamsMarkdown } from '../../../bot/src/core/text/teams-markdown';
import { FORMATTING, asRendered, renderers, visibleText } from '../../helpers/markdown';

const hostile = [
  '[Click to verify](https://evil.example)',
  '![x](https://evil.example/pixel.png)',
  '**bold** and __bold__',
  '_i_ and *i*',
  '# heading',
  '###### small heading',
  '- list\n- more',
  '+ list',
  '* list',
  '1. list\n2. more',
  '1) list',
  '> quote',
  '`code` and ``more code``',
  '```\nfenced\n```',
  '~~~\nfenced\n~~~',
  '    indented code',
  '\tindented code',
  '<at>Alex</at>',
  '<a href="https://evil.example">click</a>',
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '&lt;b&gt; is how you write <b>',
  '&amp; &#42; &#x2A;',
  '\\*not bold\\* and \\\\',
  '<https://evil.example>',
  '[ref]\n\n[ref]: https://evil.example',
  '~~struck~~',
  '| a | b |\n| - | - |\n| 1 | 2 |',
  'Title\n=====',
  'Title\n-----',
  '***',
  '- - -',
  'line one  \nline two\\\nline three',
  'a\r\nb\rc\n\nd',
  '  leading and trailing  ',
  '\u00a0non-breaking\u00a0',
  'snake_case_name and 2*3*4',
  'Price: $5 (or 4.50) - ok? #1!',
  '**Boss** [verify](https://evil.example) <at>Megan</at>',
];

describe('escapeTeamsMarkdown', () => {
  it.each(hostile)('renders %j as exactly its characters, without markup', (text) => {
    for (const md of Object.values(renderers)) {
      const html = md.render(escapeTeamsMarkdown(text));
      expect(html).not.toMatch(FORMATTING);
      expect(visibleText(html)).toBe(asRendered(text));
    }
  });

  it('is one line, so no block construct can start inside it', () => {
    expect(escapeTeamsMarkdown('a\n# b\r\n- c')).toBe('a<br>&#35; b<br>&#45; c');
    expect(escapeTeamsMarkdown('x\n\n\ny')).not.toMatch(/[\r\n]/);
  });

  it('leaves ordinary text as it is', () => {
    expect(escapeTeamsMarkdown('Hello, where is my order? It was due on 3.5. (Thanks!)')).toBe(
      'Hello, where is my order? It was due on 3.5. (Thanks!)',
    );
    expect(escapeTeamsMarkdown('Grüße – 日本語 😀')).toBe('Grüße – 日本語 😀');
  });

  it('renders any text as exactly its characters (line endings as one kind)', () => {
    // Line endings: `\r\n`, `\r` and `\n` all become `<br>`; a rendering cannot tell them apart.
    // Control characters (U+0000, U+000B …): HTML and CommonMark show them as nothing or U+FFFD; the escaper writes U+FFFD.
    const punctuation = fc.constantFrom(
      ...'\\`*_~[]()#+-=.!|{}<>&;:/"\' \t\n\r0123456789ab'.split(''),
      '\u00a0',
      '\u2028',
      '\u0000',
      '&lt;',
      '&#42;',
      '<at>',
      '](',
      '**',
      '\n\n',
      '    ',
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: punctuation, maxLength: 40 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        for (const md of Object.values(renderers)) {
          const html = md.render(escapeTeamsMarkdown(t));
          expect(visibleText(html)).toBe(asRendered(t));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('customer text in Teams messages', () => {
  const name = '**Boss** [verify](https://evil.example) <at>Megan</at>';
  const message =
    '# Urgent\n[Click to verify](https://evil.example) and **act now**\n- one\n1. two\n> quoted <a href="https://evil.example">here</a>';

  it.each([
    [
      'relays a customer message that shows exactly what the customer wrote, under their name',
      { kind: 'customer-message', chatId: 'c', customerName: name, channel: 'interact', text: message },
      ['b', 'i', 'br'],
      `${name} (Website)\n${message}`,
    ],
    [
      'shows a note in a chat and the name in it literally',
      { kind: 'chat-note', chatId: 'c', customerName: name, text: '_not sent_: [retry](https://evil.example)' },
      ['i'],
      `Note in the chat with ${name}: _not sent_: [retry](https://evil.example)`,
    ],
  ] as const)('%s', (_what, view, tags, shown) => {
    const [activity] = renderView(view);
    for (const md of Object.values(renderers)) expect(visibleText(md.render(String(activity!.text)), tags)).toBe(shown);
  });

  it.each([
    ['customer left', texts.customerLeft(name), `${name} left the chat.`],
    ['ended', texts.ended(name), `The chat with ${name} has ended.`],
    ['already ended', texts.alreadyEnded(name), `The chat with ${name} has already ended.`],
    ['session ended', texts.sessionEnded(name), `The chat with ${name} has ended; your message was not sent.`],
    [
      'delivery failed',
      texts.deliveryFailed('**hi** [x](y)', name),
      `A message could not be delivered to you (chat with ${name}): “**hi** [x](y)”. Send sessions to see what did not arrive.`,
    ],
  ])('names the customer literally in “%s”', (_what, html, shown) => {
    for (const md of Object.values(renderers)) expect(visibleText(md.render(html), ['b'])).toBe(shown);
  });

  it('keeps a worst-case customer message under Teams’ size limit after escaping', () => {
    const activities = renderView({
      kind: 'customer-message',
      chatId: 'c',
      customerName: name,
      channel: 'whatsapp',
      text: '&*'.repeat(10_000),
    });
    expect(activities.length).toBeGreaterThan(1);
    for (const a of activities) expect(Buffer.byteLength(JSON.stringify(a))).toBeLessThan(80_000);
  });
});
