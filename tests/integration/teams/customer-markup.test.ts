import { cardTexts, renderers, visibleText } from '../../helpers/markdown';
import { cardOf, cardText, textOf, teamsTestApp } from './harness';

const teams = teamsTestApp();

const name = '**Boss** [verify](https://evil.example) <at>Megan</at>';
const firstMessage = '# Urgent\n[Click to verify](https://evil.example) and **act now**';
const later =
  '_Please_ [reset your password](https://evil.example/reset)\n- today\n> <a href="https://evil.example">here</a> <at>Alex Wilber</at>';

/** No text Teams draws as markdown carries the customer's words; TextRuns carry them as written. */
function expectInert(card: unknown): void {
  const { markdown, literal } = cardTexts(card);
  expect(markdown.length).toBeGreaterThan(0);
  for (const text of markdown) expect(text).not.toMatch(/verify\]\(|evil|Boss|Urgent|<at>/);
  expect(literal).toContain(name);
}

describe('customer text that looks like markup', () => {
  it('reaches the agent as the characters the customer typed: on the offer, on the session card and in relayed messages', async () => {
    const { s, alex } = await teams.alexReady();
    const chat = await teams.customerChat(s, { displayName: name, email: 'boss@example.com', message: firstMessage });

    const [offer] = await teams.connector.waitFor(alex.conversationId, (c) => cardText(c).includes('New chat request'));
    expectInert(cardOf(offer!));
    expect(cardTexts(cardOf(offer!)).literal).toContain(firstMessage);

    const accepted = await teams.press(s.tenantId, alex, offer!, 'offer.accept');
    expect(JSON.stringify(accepted.body.value)).toContain('Chat in progress');
    expectInert(accepted.body.value);
    expect(cardTexts(accepted.body.value).literal).toContain(firstMessage);

    // A message after the accept, as the Bot Connector receives it.
    expect((await teams.customerPost(s, chat, 'messages', { text: later })).status).toBe(201);
    const [relayed] = await teams.connector.waitFor(alex.conversationId, (c) =>
      textOf(c).includes('reset your password'),
    );
    const text = textOf(relayed!);
    expect(relayed!.body.textFormat).toBe('xml');
    expect(text).not.toMatch(/\*\*Boss|\[verify\]\(|\[reset your password\]\(|<at>|<a href|\n/);
    for (const md of Object.values(renderers))
      expect(visibleText(md.render(text), ['b', 'i', 'br'])).toBe(`${name} (Website)\n${later}`);

    // The customer leaves: the notice names them, literally.
    await teams.customerPost(s, chat, 'end', {});
    const [left] = await teams.connector.waitFor(alex.conversationId, (c) => textOf(c).endsWith('left the chat.'));
    expect(textOf(left!)).not.toMatch(/\*\*Boss|\[verify\]\(|<at>/);
    for (const md of Object.values(renderers))
      expect(visibleText(md.render(textOf(left!)), ['b'])).toBe(`${name} left the chat.`);
    const [ended] = await teams.connector.waitFor(
      alex.conversationId,
      (c) => c.method === 'PUT' && cardText(c).includes('Chat ended'),
    );
    expectInert(cardOf(ended!));
  });
});
