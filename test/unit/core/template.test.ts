import { describe, expect, it } from 'vitest';
import { parseTemplate, renderTemplate, type TemplateRef } from '../../../main/core/template';

const refs = (text: string) => parseTemplate(text, 't.tpl').filter((p): p is TemplateRef => typeof p !== 'string');

describe('inject templates', () => {
  it('finds the four kinds of reference, with their positions, and leaves other braces alone', () => {
    const text = [
      'password: {{ op://Engineering/Stripe test/credential }}',
      'db: "{{chamber:web/dev/db_password}}"',
      'legacy: {{ ssm:/legacy/stripe_key }}',
      'url: {{ env:API_URL }}',
      'helm: {{ .Values.image }} {{- include "x" . }}',
    ].join('\n');
    expect(refs(text).map((r) => [r.kind, r.body, r.line, r.col])).toEqual([
      ['op', '//Engineering/Stripe test/credential', 1, 11],
      ['chamber', 'web/dev/db_password', 2, 6],
      ['ssm', '/legacy/stripe_key', 3, 9],
      ['env', 'API_URL', 4, 6],
    ]);
    const rendered = renderTemplate(parseTemplate(text, 't.tpl'), (r) => `<${r.kind}>`);
    expect(rendered).toBe(
      'password: <op>\ndb: "<chamber>"\nlegacy: <ssm>\nurl: <env>\nhelm: {{ .Values.image }} {{- include "x" . }}',
    );
  });

  it('refuses an unknown kind and a malformed reference, with every position, before anything is resolved', () => {
    const text = 'a: {{ chamer:web/dev/x }}\nb: {{ ssm:relative }}\nc: {{ env:1BAD }}\nd: {{ op://vault/item }}';
    expect(() => parseTemplate(text, 't.tpl')).toThrow(
      /t\.tpl:1:4: unknown reference kind "chamer:"[\s\S]*t\.tpl:2:4: expected ssm:\/full\/parameter\/name[\s\S]*t\.tpl:3:4: env:1BAD[\s\S]*t\.tpl:4:4: expected op:\/\/vault\/item/,
    );
  });
});
