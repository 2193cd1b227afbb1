/**
 * Text someone else wrote (a customer's name or message, a note in their chat) made inert for a Teams
 * message, so the agent sees exactly the characters that were typed: no link, image, emphasis, heading,
 * list, quote, code, table, HTML tag or `<at>` mention can come out of it.
 *
 * Where it is meant to go: the text of a Teams message, which Teams reads as markdown with inline HTML
 * (`textFormat` markdown) or as HTML (`xml`, what the bot sends). The output is therefore escaped with
 * HTML character references only, never with backslashes: CommonMark shows a reference as the literal
 * character and never reads it as syntax (spec, "Entity and numeric character references"), and HTML
 * shows it as that character too, so the text reads the same whichever of the two Teams applies. A
 * backslash escape would be visible in HTML. Not for Adaptive Card TextBlocks, which render neither HTML
 * nor, reliably, references: cards show such text in TextRuns, which are never markdown.
 *
 * Which characters:
 * - Always, wherever they are: `& < >` (so no tag, mention or reference forms) and the characters that
 *   open or close an inline construct, `\ ` * _ ~ [ ] |` (`\` as a reference too: a backslash before a
 *   reference would turn it back into text). Their meaning depends on context the escaper cannot see:
 *   the text is put next to our own markup, dialects differ (Teams italicises `snake_case`, GFM has `~~`
 *   and `|` tables), and every one that is escaped costs a few bytes and renders the same.
 *   `( ) !` need no escape: without an unescaped `[` there is no link or image for them to complete.
 * - At the start of a line only (the text's start and after every line break): a leading `# + - =`,
 *   and the `.` or `)` after leading digits (headings, lists, setext underlines; `*`, `>` and fences are
 *   already escaped everywhere), plus leading and trailing whitespace, which would indent a code block or
 *   be trimmed away. Elsewhere these are ordinary text, and `.`, `-` and `#` are so common in chat that
 *   escaping every one would make messages several times longer for nothing. A line break is written
 *   `<br>`, so the output is one line for markdown: no block construct can start anywhere but at its
 *   start, and the break still shows (a bare newline is a space in HTML and in a markdown paragraph).
 *
 * Control characters other than tab and line breaks (U+0000–U+001F, U+007F) become U+FFFD: they show as
 * nothing or as U+FFFD in HTML and CommonMark, cannot be written as references, and XML (Teams' "xml"
 * format) does not allow them at all.
 *
 * The result can be up to five times as long as the text (`&` is `&amp;`): split long text before
 * escaping it (splitting afterwards could cut a reference in two) and size the parts for that.
 */
export function escapeTeamsMarkdown(text: string): string {
  return text
    .replace(CONTROL, '\uFFFD')
    .split(/\r\n|\r|\n/)
    .map(escapeLine)
    .join('<br>');
}

const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const reference = (c: string): string => named[c] ?? `&#${c.codePointAt(0)!};`;
const references = (s: string): string => Array.from(s, reference).join('');

// eslint-disable-next-line no-control-regex -- control characters are what this matches
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const ANYWHERE = /[&<>\\`*_~[\]|]/g;
const BLOCK_START = /^(?:\d{1,9}[.)]|[#+\-=])/;

function escapeLine(line: string): string {
  const lead = /^\s*/.exec(line)![0];
  const trail = /\s*$/.exec(line.slice(lead.length))![0];
  let body = line.slice(lead.length, line.length - trail.length);
  let start = '';
  const marker = BLOCK_START.exec(body)?.[0];
  if (marker) {
    // The marker's last character is what makes it one: `#`, `+`, `-`, `=`, or the `.`/`)` after digits.
    start = marker.slice(0, -1) + reference(marker.slice(-1));
    body = body.slice(marker.length);
  }
  return references(lead) + start + body.replace(ANYWHERE, reference) + references(trail);
}
