import { MAX_PARAMETER_LENGTH } from './schemas';

/**
 * The template syntax of messages and web requests: `{{ field }}` for a system field and
 * `{{ param.name }}` for a workflow parameter. There is no escaping and no expression language on
 * purpose: a value is inserted once, as text, and never read as a template again.
 */
export const SYSTEM_FIELDS = [
  'customer.name',
  'customer.email',
  'channel',
  'firstMessage',
  'service.name',
  'queue.position',
  'queue.estimatedWait',
  'date',
  'time',
] as const;
export type SystemField = (typeof SYSTEM_FIELDS)[number];

const SYSTEM_FIELD_SET: ReadonlySet<string> = new Set(SYSTEM_FIELDS);
const PARAM = /^param\.([A-Za-z][A-Za-z0-9_]*)$/;
const NAME_LIKE = /^[A-Za-z][A-Za-z0-9_.]*$/;

export type Placeholder = { kind: 'system'; field: SystemField } | { kind: 'param'; name: string };
export type TemplatePart =
  { kind: 'text'; text: string } | { kind: 'placeholder'; placeholder: Placeholder; raw: string };

export type TemplateProblem =
  | { code: 'unclosed-placeholder'; message: string }
  | { code: 'empty-placeholder'; message: string }
  | { code: 'invalid-placeholder'; message: string; placeholder: string }
  | { code: 'unknown-field'; message: string; placeholder: string }
  | { code: 'undeclared-parameter'; message: string; placeholder: string };

/** The parts that parsed, and the problems of those that did not. */
export type ParsedTemplate = { ok: boolean; parts: TemplatePart[]; problems: TemplateProblem[] };

export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) {
      parts.push({ kind: 'text', text: text.slice(at) });
      break;
    }
    if (open > at) parts.push({ kind: 'text', text: text.slice(at, open) });
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      problems.push({
        code: 'unclosed-placeholder',
        message: `"{{" at position ${open + 1} is never closed with "}}"`,
      });
      break;
    }
    const raw = text.slice(open, close + 2);
    const name = text.slice(open + 2, close).trim();
    at = close + 2;
    if (name === '') {
      problems.push({ code: 'empty-placeholder', message: `empty placeholder at position ${open + 1}` });
      continue;
    }
    const param = PARAM.exec(name);
    if (param) parts.push({ kind: 'placeholder', placeholder: { kind: 'param', name: param[1]! }, raw });
    else if (SYSTEM_FIELD_SET.has(name))
      parts.push({ kind: 'placeholder', placeholder: { kind: 'system', field: name as SystemField }, raw });
    else if (NAME_LIKE.test(name)) {
      problems.push({
        code: 'unknown-field',
        placeholder: raw,
        message: `unknown placeholder ${raw}: use one of ${SYSTEM_FIELDS.map((f) => `{{${f}}}`).join(', ')} or {{param.<name>}}`,
      });
    } else problems.push({ code: 'invalid-placeholder', placeholder: raw, message: `invalid placeholder ${raw}` });
  }
  return { ok: problems.length === 0, parts, problems };
}

/** Problems of a template; with `declared`, parameters must be among them. */
export function templateProblems(text: string, declared?: ReadonlySet<string>): TemplateProblem[] {
  const parsed = parseTemplate(text);
  if (!declared) return parsed.problems;
  return [
    ...parsed.problems,
    ...parsed.parts.flatMap((p): TemplateProblem[] =>
      p.kind === 'placeholder' && p.placeholder.kind === 'param' && !declared.has(p.placeholder.name)
        ? [
            {
              code: 'undeclared-parameter',
              placeholder: p.raw,
              message: `${p.raw} names a parameter the workflow does not declare`,
            },
          ]
        : [],
    ),
  ];
}

/** Parameter names a template reads. */
export function templateParameters(text: string): string[] {
  return parseTemplate(text).parts.flatMap((p) =>
    p.kind === 'placeholder' && p.placeholder.kind === 'param' ? [p.placeholder.name] : [],
  );
}

export type TemplateValues = { system: Record<SystemField, string>; params: Record<string, string> };

/**
 * How an inserted value is made safe for where it lands: as is in chat text, percent-encoded in a URL
 * (dots included), escaped inside a JSON string, without line breaks in a header.
 */
export type Encoding = 'text' | 'url' | 'json-string' | 'header' | 'form';

const encode = (value: string, encoding: Encoding): string => {
  switch (encoding) {
    case 'text':
      return value;
    case 'url':
      // encodeURIComponent already encodes "/", "?" and "#"; every "." is encoded too, so a value (or two
      // values side by side) can never form a "." or ".." segment that would climb out of its place in
      // the path. %2E means the same to the target; the client sends the path without resolving it.
      return encodeURIComponent(value).replace(/\./g, '%2E');
    case 'form':
      return encodeURIComponent(value);
    case 'json-string':
      return JSON.stringify(value).slice(1, -1);
    case 'header':
      return value.replace(/[\r\n]+/g, ' ');
  }
};

/**
 * Renders a template. Unknown parameters render empty (validation refuses them before a workflow is
 * saved); a template that does not parse renders as its own text so a message is never lost.
 */
export function renderTemplate(text: string, values: TemplateValues, encoding: Encoding = 'text'): string {
  const parsed = parseTemplate(text);
  if (!parsed.ok) return text;
  return parsed.parts
    .map((p) => {
      if (p.kind === 'text') return p.text;
      const value =
        p.placeholder.kind === 'system'
          ? values.system[p.placeholder.field]
          : (values.params[p.placeholder.name] ?? '');
      return encode(value, encoding);
    })
    .join('');
}

export const clipParameter = (value: string): string =>
  value.length > MAX_PARAMETER_LENGTH ? value.slice(0, MAX_PARAMETER_LENGTH) : value;
