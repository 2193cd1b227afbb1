import MarkdownIt from 'markdown-it';

/**
 * Markdown renderers standing in for Teams, which reads message text as markdown with inline HTML:
 * strict CommonMark, and markdown-it's default (GFM tables and strikethrough on top). HTML is on in
 * both, so any tag that got through unescaped would come out as a tag.
 */
export const renderers = {
  commonmark: new MarkdownIt('commonmark', { html: true }),
  gfm: new MarkdownIt('default', { html: true }),
};

/** Elements whose presence in rendered customer text means some of it became markup. */
export const FORMATTING =
  /<(a|img|strong|em|b|i|s|del|strike|h[1-6]|ul|ol|li|blockquote|code|pre|hr|table|at|script|span|div)[\s/>]/i;

/**
 * The text a reader sees in one rendered paragraph: `<br>` as a line break, references decoded.
 * Fails when anything else than the allowed tags (and the paragraph around them) is in it.
 */
export function visibleText(html: string, allowedTags: readonly string[] = ['br']): string {
  const inner = html.replace(/\n$/, '').replace(/^<p>([\s\S]*)<\/p>$/, '$1');
  const tags = [...inner.matchAll(/<\/?([a-z0-9]+)[^>]*>/gi)].map((m) => m[1]!.toLowerCase());
  const unexpected = tags.filter((t) => !allowedTags.includes(t));
  if (unexpected.length > 0) throw new Error(`markup in rendered text: ${unexpected.join(', ')} in ${inner}`);
  return inner
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?[a-z0-9]+[^>]*>/gi, '')
    .replace(/&(lt|gt|quot|amp);/g, (_m, name: string) => ({ lt: '<', gt: '>', quot: '"', amp: '&' })[name]!);
}

/** How a text shows at best once rendered: line endings become one kind, control characters U+FFFD. */
export const asRendered = (text: string): string =>
  // eslint-disable-next-line no-control-regex -- control characters are what this matches
  text.replace(/\r\n|\r/g, '\n').replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');

type Node = Record<string, unknown>;

/** The texts of an Adaptive Card by how Teams draws them: TextBlocks (and facts) as markdown, TextRuns as written. */
export function cardTexts(card: unknown): { markdown: string[]; literal: string[] } {
  const markdown: string[] = [];
  const literal: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const node = value as Node;
    if (node.type === 'TextBlock' && typeof node.text === 'string') markdown.push(node.text);
    if (node.type === 'TextRun' && typeof node.text === 'string') literal.push(node.text);
    if (node.type === 'FactSet' && Array.isArray(node.facts))
      for (const f of node.facts as Node[]) markdown.push(String(f.title), String(f.value));
    for (const [key, child] of Object.entries(node)) if (key !== 'facts') walk(child);
  };
  walk(card);
  return { markdown, literal };
}
