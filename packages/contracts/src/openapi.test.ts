import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { buildOpenApi, routes } from './index.js';

describe('buildOpenApi', () => {
  const doc = buildOpenApi(routes, { version: '0.0.0-test', servers: ['http://127.0.0.1:8000'] });

  it('prints a document that passes an OpenAPI 3.1 validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('lists every route of the table once under its method', () => {
    const paths = doc.paths as Record<string, Record<string, { operationId: string }>>;
    for (const route of routes) {
      expect(paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.id);
    }
    const operations = Object.values(paths).flatMap((methods) => Object.keys(methods));
    expect(operations).toHaveLength(routes.length);
  });

  it('documents both the JSON and the event-stream answers of /chatkit', () => {
    const paths = doc.paths as Record<
      string,
      Record<string, { responses: Record<string, { content: object }> }>
    >;
    const content = paths['/chatkit']?.post?.responses['200']?.content ?? {};
    expect(Object.keys(content).sort()).toEqual(['application/json', 'text/event-stream']);
  });

  it('documents a multipart route’s text fields beside its files', () => {
    const paths = doc.paths as Record<
      string,
      Record<string, { requestBody: { content: Record<string, unknown> } }>
    >;
    const form = paths['/api/voice/process']?.post?.requestBody.content['multipart/form-data'] as {
      schema: {
        properties: Record<string, { type?: string; enum?: string[]; format?: string }>;
        required: string[];
      };
    };
    expect(Object.keys(form.schema.properties).sort()).toEqual(['audio', 'language', 'provider']);
    expect(form.schema.properties.audio).toEqual({ type: 'string', format: 'binary' });
    expect(form.schema.properties.provider?.enum).toEqual(['deepgram', 'openai']);
    expect(form.schema.required).toEqual(['audio']);
  });

  it('has unique operation ids', () => {
    expect(new Set(routes.map((r) => r.id)).size).toBe(routes.length);
  });
});
