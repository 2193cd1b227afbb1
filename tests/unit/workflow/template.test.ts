import {
  SYSTEM_FIELDS,
  type TemplateValues,
  formatEstimatedWait,
  parseTemplate,
  renderTemplate,
  systemValues,
  templateProblems,
} from '../../../bot/src/core/workflow';

const values: TemplateValues = {
  system: Object.fromEntries(SYSTEM_FIELDS.map((f) => [f, `<${f}>`])) as TemplateValues['system'],
  params: { name: 'Ann "A" & B\nC', path: 'a/b c' },
};

describe('template syntax', () => {
  it('inserts system fields and parameters, with spaces allowed inside the braces', () => {
    expect(renderTemplate('Hi {{ customer.name }} / {{param.name}}!', values)).toBe(
      'Hi <customer.name> / Ann "A" & B\nC!',
    );
  });

  it('inserts a value once, as text: a placeholder inside a value stays as it is', () => {
    expect(renderTemplate('{{param.x}}', { ...values, params: { x: '{{customer.email}}' } })).toBe(
      '{{customer.email}}',
    );
  });

  it('encodes values for where they land', () => {
    expect(renderTemplate('https://x.test/{{param.path}}', values, 'url')).toBe('https://x.test/a%2Fb%20c');
    expect(renderTemplate('{"n":"{{param.name}}"}', values, 'json-string')).toBe('{"n":"Ann \\"A\\" & B\\nC"}');
    expect(JSON.parse(renderTemplate('{"n":"{{param.name}}"}', values, 'json-string'))).toEqual({
      n: 'Ann "A" & B\nC',
    });
    expect(renderTemplate('{{param.name}}', values, 'header')).toBe('Ann "A" & B C');
  });

  it('reports unclosed, empty, invalid and unknown placeholders', () => {
    expect(templateProblems('a {{ b')).toMatchObject([{ code: 'unclosed-placeholder' }]);
    expect(templateProblems('{{ }}')).toMatchObject([{ code: 'empty-placeholder' }]);
    expect(templateProblems('{{ 1+1 }}')).toMatchObject([{ code: 'invalid-placeholder' }]);
    expect(templateProblems('{{customer.phone}}')).toMatchObject([
      { code: 'unknown-field', placeholder: '{{customer.phone}}' },
    ]);
    expect(templateProblems('{{param.x}}', new Set(['y']))).toMatchObject([{ code: 'undeclared-parameter' }]);
    expect(templateProblems('plain }} text')).toEqual([]);
  });

  it('unknown parameters render empty; broken templates render as written', () => {
    expect(renderTemplate('[{{param.missing}}]', values)).toBe('[]');
    expect(renderTemplate('a {{ b', values)).toBe('a {{ b');
    expect(parseTemplate('x').ok).toBe(true);
  });

  it('fills the system fields from the task, the queue and the clock in the workflow time zone', () => {
    const system = systemValues(
      { customerName: 'Casey', customerEmail: null, channel: 'whatsapp', firstMessage: null, serviceName: 'Service B' },
      { queuePosition: 3, estimatedWaitSeconds: 61 },
      Date.UTC(2026, 2, 29, 22, 30),
      'Europe/Zurich',
    );
    expect(system).toEqual({
      'customer.name': 'Casey',
      'customer.email': '',
      channel: 'WhatsApp',
      firstMessage: '',
      'service.name': 'Service B',
      'queue.position': '3',
      'queue.estimatedWait': '2 minutes',
      date: '2026-03-30',
      time: '00:30',
    });
    expect([formatEstimatedWait(null), formatEstimatedWait(5), formatEstimatedWait(60)]).toEqual([
      '',
      '1 minute',
      '1 minute',
    ]);
  });
});
