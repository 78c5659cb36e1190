import { describe, expect, it } from 'vitest';
import { escapeStringBody, promString, rangeSeconds, regexEscape } from './promql.ts';
import { TemplateError, renderTemplate } from './template.ts';

const vars = { namespace: 'shop', workload: 'web-canary', windowSeconds: 300 };

describe('renderTemplate', () => {
  it('fills namespace, workload and window', () => {
    expect(
      renderTemplate(
        'sum(increase(shop_checkouts_completed_total{namespace="{{namespace}}",workload="{{ workload }}"}[{{window}}]))',
        vars,
      ),
    ).toBe('sum(increase(shop_checkouts_completed_total{namespace="shop",workload="web-canary"}[300s]))');
  });

  it('rounds the window to whole seconds and never renders [0s]', () => {
    expect(renderTemplate('x[{{window}}]', { ...vars, windowSeconds: 299.6 })).toBe('x[300s]');
    expect(renderTemplate('x[{{window}}]', { ...vars, windowSeconds: 0 })).toBe('x[1s]');
  });

  it('escapes quotes and backslashes so a value cannot end the string', () => {
    const evil = { ...vars, workload: 'a"} or vector(1) or x{b="\\' };
    expect(renderTemplate('m{w="{{workload}}"}', evil)).toBe('m{w="a\\"} or vector(1) or x{b=\\"\\\\"}');
    expect(renderTemplate("m{w='{{workload}}'}", { ...vars, workload: "it's" })).toBe("m{w='it\\'s'}");
  });

  it('regex-escapes values inside =~ and !~ matchers', () => {
    const dotted = { ...vars, workload: 'web.v2' };
    expect(renderTemplate('m{w=~"{{workload}}"}', dotted)).toBe('m{w=~"web\\\\.v2"}');
    expect(renderTemplate('m{w !~ "{{workload}}-.*"}', dotted)).toBe('m{w !~ "web\\\\.v2-.*"}');
    expect(renderTemplate('m{w="{{workload}}"}', dotted)).toBe('m{w="web.v2"}');
    expect(renderTemplate('m{w=~`{{workload}}`}', dotted)).toBe('m{w=~`web\\.v2`}');
  });

  it('quotes a value placed outside any string, so it can only ever be a string literal', () => {
    expect(
      renderTemplate('label_replace(m, "w", {{workload}}, "", "")', { ...vars, workload: 'x) or (y' }),
    ).toBe('label_replace(m, "w", "x) or (y", "", "")');
  });

  it('tracks strings correctly across escaped quotes and comments', () => {
    expect(renderTemplate('m{a="x\\"y",w="{{workload}}"}', vars)).toBe('m{a="x\\"y",w="web-canary"}');
    expect(renderTemplate('# don\'t count retries\nm{w="{{workload}}"}', vars)).toBe(
      '# don\'t count retries\nm{w="web-canary"}',
    );
  });

  it('refuses unknown placeholders and values a raw string cannot hold', () => {
    expect(() => renderTemplate('m{w="{{pod}}"}', vars)).toThrow(TemplateError);
    expect(() => renderTemplate('m{w="{{pod}}"}', vars)).toThrow(
      /\{\{namespace\}\}, \{\{workload\}\}, \{\{window\}\}/,
    );
    expect(() => renderTemplate('m{w=`{{workload}}`}', { ...vars, workload: 'a`b' })).toThrow(TemplateError);
  });
});

describe('PromQL escaping helpers', () => {
  it('escapes string bodies with Go rules', () => {
    expect(escapeStringBody('a"b\\c\nd\te\u0001')).toBe('a\\"b\\\\c\\nd\\te\\u0001');
    expect(promString('shop')).toBe('"shop"');
  });

  it('quotes every RE2 metacharacter', () => {
    expect(regexEscape('a.b+c*d?e(f)g|h[i]j{k}l^m$n\\o')).toBe(
      'a\\.b\\+c\\*d\\?e\\(f\\)g\\|h\\[i\\]j\\{k\\}l\\^m\\$n\\\\o',
    );
  });

  it('renders ranges in whole seconds, at least 1', () => {
    expect(rangeSeconds(60)).toBe('60s');
    expect(rangeSeconds(0.2)).toBe('1s');
  });
});
