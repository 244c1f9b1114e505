/** @module Tests that the Liquid sandbox refuses prototype probes, files, runaway loops and floods. */
import { describe, expect, it } from 'vitest';
import {
  createLiquidSandbox,
  type LiquidSandbox,
  parseTemplate,
  renderParsed,
  type TemplateError,
} from './liquid-sandbox.ts';

const run = (
  sandbox: LiquidSandbox,
  source: string,
  scope: object = {},
): { ok: true; output: string } | { ok: false; error: TemplateError } => {
  const parsed = parseTemplate(sandbox, source);
  if (!parsed.ok) return parsed;
  return renderParsed(sandbox, parsed.templates, scope, {});
};

const codeOf = (result: ReturnType<typeof run>): string => (result.ok ? 'ok' : result.error.code);

describe('createLiquidSandbox', () => {
  const sandbox = createLiquidSandbox({ partials: { greeting: 'Hello {{ name }}' } });
  const scope = { x: { a: 1 }, name: 'Ada', items: [1, 2] };

  it('renders ordinary Liquid', () => {
    expect(run(sandbox, '{{ name | upcase }} {{ x.a }} {{ items.size }}', scope)).toEqual({
      ok: true,
      output: 'ADA 1 2',
    });
  });

  it.each([
    '{{ x.constructor }}',
    '{{ x.__proto__ }}',
    "{{ x['constructor'] }}",
    '{{ x.constructor.constructor }}',
    '{{ items.prototype }}',
  ])('refuses the prototype probe %s as template_error', (source) => {
    expect(codeOf(run(sandbox, source, scope))).toBe('template_error');
  });

  it('refuses a prototype probe through a computed key at render time', () => {
    expect(codeOf(run(sandbox, "{% assign k = 'constructor' %}{{ x[k] }}", scope))).toBe(
      'template_error',
    );
  });

  it('fails on an undefined variable or filter instead of rendering a blank', () => {
    expect(codeOf(run(sandbox, '{{ nme }}', scope))).toBe('template_error');
    expect(codeOf(run(sandbox, '{{ name | shout }}', scope))).toBe('template_error');
  });

  it('keeps `if` and `default` usable on optional variables', () => {
    expect(
      run(sandbox, '{% if missing %}a{% else %}b{% endif %}{{ missing | default: "c" }}'),
    ).toEqual({ ok: true, output: 'bc' });
  });

  it('sees no globals of the host', () => {
    expect(codeOf(run(sandbox, '{{ process.env }}'))).toBe('template_error');
    expect(codeOf(run(sandbox, '{{ globalThis }}'))).toBe('template_error');
  });

  it('includes and renders registered partials only', () => {
    expect(run(sandbox, "{% render 'greeting', name: name %}", scope)).toEqual({
      ok: true,
      output: 'Hello Ada',
    });
    for (const source of [
      "{% include 'secret' %}",
      "{% render '/etc/passwd' %}",
      "{% include '../../package.json' %}",
      "{% layout 'base' %}x",
      "{% include 'constructor' %}",
    ]) {
      expect(codeOf(run(sandbox, source, scope)), source).toBe('template_not_found');
    }
  });

  it('stops a huge loop with render_limit', () => {
    expect(codeOf(run(sandbox, '{% for i in (1..100000000) %}{{ i }}{% endfor %}'))).toBe(
      'render_limit',
    );
    const nested = '{% for i in (1..100000) %}{% for j in (1..100000) %}{% endfor %}{% endfor %}';
    expect(codeOf(run(sandbox, nested))).toBe('render_limit');
  });

  it('stops a render that runs out of time with render_limit', () => {
    const slow = createLiquidSandbox({ limits: { renderMs: 1, memory: Number.POSITIVE_INFINITY } });
    const source = '{% for i in (1..3000) %}{% for j in (1..300) %}{{ j }}{% endfor %}{% endfor %}';
    expect(codeOf(run(slow, source))).toBe('render_limit');
  });

  it('refuses output above the cap with output_too_large', () => {
    const result = run(
      sandbox,
      "{% for i in (1..2000) %}{{ 'abcdefghijklmnopqrstuvwxyz0123456789' }}{% endfor %}",
    );
    expect(codeOf(result)).toBe('output_too_large');
  });

  it('refuses oversized source with template_error', () => {
    expect(codeOf(run(sandbox, 'a'.repeat(100_001)))).toBe('template_error');
  });

  it('refuses a date filter that reads the clock', () => {
    expect(codeOf(run(sandbox, "{{ 'now' | date: '%Y' }}"))).toBe('template_error');
    expect(run(sandbox, "{{ '2026-11-28T09:30:00Z' | date: '%Y-%m-%d %H:%M' }}")).toEqual({
      ok: true,
      output: '2026-11-28 09:30',
    });
  });

  it('reports a syntax error as template_error', () => {
    expect(codeOf(run(sandbox, '{% if %}'))).toBe('template_error');
    expect(codeOf(run(sandbox, '{{ name'))).toBe('template_error');
  });

  it('escapes output in HTML mode unless piped through raw', () => {
    const html = createLiquidSandbox({ html: true });
    expect(run(html, '<p>{{ name }}</p>{{ name | raw }}', { name: '<b>&' })).toEqual({
      ok: true,
      output: '<p>&lt;b&gt;&amp;</p><b>&',
    });
  });
});
