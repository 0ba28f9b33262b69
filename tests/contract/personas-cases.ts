// biome-ignore-all lint/suspicious/noTemplateCurlyInString: templates write `${variable}` placeholders
/**
 * @module Contract cases of Project 2501 (seed 003): personas and their images, modules and their
 * scripts, and template resolution, run alike on the mocks and the server. Each case acts as a new
 * user with a client secret (the chat scope).
 */
import { readFileSync } from 'node:fs';
import {
  Module,
  ModuleDeleted,
  ModuleList,
  Persona,
  PersonaDeleted,
  PersonaImage,
  PersonaList,
  PluginFunctionList,
  ScriptTestResult,
  TemplateResolution,
} from '@cartrita/contracts';
import { expect } from 'vitest';
import type { ContractCase, ContractTarget } from './cases.js';
import { readError, readJson, type Schema } from './wire.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/images/${name}`, import.meta.url)));

/** The seed-003 API of one new user of a target. */
const project2501 = async (target: ContractTarget) => {
  const secret = await target.createSecret();
  const headers = { authorization: `Bearer ${secret}` };
  const send = (method: string, path: string, body?: unknown, compare?: 'status' | 'body') =>
    target.fetch(
      `${target.baseURL}${path}`,
      {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      },
      compare === undefined ? {} : { compare },
    );
  const json = async <T>(schema: Schema<T>, method: string, path: string, body?: unknown, status = 200) =>
    readJson(await send(method, path, body), schema, `${target.name} ${method} ${path}`, status, 'allowed');
  const error = async (method: string, path: string, body: unknown, status: number, code: string) =>
    readError(await send(method, path, body), status, code, `${target.name} ${method} ${path}`);
  const upload = (bytes: Uint8Array, name: string, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([bytes as BlobPart], { type }), name);
    return target.fetch(`${target.baseURL}/api/personas/upload-image`, {
      method: 'POST',
      headers,
      body: form,
    });
  };
  return { send, json, error, upload };
};

export const personasContractCases: readonly ContractCase[] = [
  {
    name: 'a persona is created with its defaults, listed by activity, changed and deleted',
    async run(target) {
      const api = await project2501(target);
      const created = await api.json(
        Persona,
        'POST',
        '/api/personas',
        { name: 'Guide', template: 'You are @tone. Greet ${name}.' },
        201,
      );
      expect(created).toMatchObject({
        name: 'Guide',
        description: null,
        template: 'You are @tone. Greet ${name}.',
        mode: 'reactive',
        first_message: null,
        image_path: null,
        is_active: true,
      });
      const other = await api.json(
        Persona,
        'POST',
        '/api/personas',
        {
          name: 'Scout',
          template: 'Explore.',
          mode: 'autonomous',
          first_message: 'Shall we?',
          is_active: false,
        },
        201,
      );
      expect(await api.json(Persona, 'GET', `/api/personas/${created.id}`)).toEqual(created);
      const all = await api.json(PersonaList, 'GET', '/api/personas');
      expect(all.personas.map((persona) => persona.name)).toEqual(['Guide', 'Scout']);
      expect((await api.json(PersonaList, 'GET', '/api/personas?active=true')).personas).toEqual([created]);
      expect((await api.json(PersonaList, 'GET', '/api/personas?active=false')).personas).toEqual([other]);
      const changed = await api.json(Persona, 'PUT', `/api/personas/${created.id}`, {
        is_active: false,
        description: 'A calm guide',
      });
      expect([changed.is_active, changed.description, changed.created_at]).toEqual([
        false,
        'A calm guide',
        created.created_at,
      ]);
      expect((await api.json(PersonaList, 'GET', '/api/personas?active=true')).total).toBe(0);
      expect(await api.json(PersonaDeleted, 'DELETE', `/api/personas/${created.id}`)).toEqual({
        id: created.id,
        deleted: true,
      });
      await api.error('GET', `/api/personas/${created.id}`, undefined, 404, 'NOT_FOUND');
      await api.error('DELETE', `/api/personas/${created.id}`, undefined, 404, 'NOT_FOUND');
    },
  },
  {
    name: 'a persona with an unknown mode, a foreign image path or an image never uploaded is a 422',
    async run(target) {
      const api = await project2501(target);
      await api.error(
        'POST',
        '/api/personas',
        { name: 'X', template: 't', mode: 'proactive' },
        422,
        'VALIDATION_ERROR',
      );
      await api.error(
        'POST',
        '/api/personas',
        { name: 'X', template: 't', image_path: 'https://example.com/x.png' },
        422,
        'VALIDATION_ERROR',
      );
      await api.error('GET', '/api/personas?active=maybe', undefined, 422, 'VALIDATION_ERROR');
      const unknownImage = await api.error(
        'POST',
        '/api/personas',
        {
          name: 'X',
          template: 't',
          image_path: '/api/personas/images/0b5e1c9a-2f1d-4c1e-9a57-3d1c2b7e6f10.png',
        },
        422,
        'VALIDATION_ERROR',
      );
      expect(unknownImage.error.message).toBe(
        'No image is stored at /api/personas/images/0b5e1c9a-2f1d-4c1e-9a57-3d1c2b7e6f10.png: upload it with POST /api/personas/upload-image first',
      );
    },
  },
  {
    name: 'a persona image loses its metadata, is served with its type and attaches to a persona',
    async run(target) {
      const api = await project2501(target);
      for (const [extension, type] of [
        ['png', 'image/png'],
        ['jpg', 'image/jpeg'],
        ['gif', 'image/gif'],
      ] as const) {
        const uploaded = await readJson(
          await api.upload(
            fixture(`with-metadata.${extension}`),
            `me.${extension}`,
            'application/octet-stream',
          ),
          PersonaImage,
          `${target.name} upload ${extension}`,
          201,
        );
        expect(uploaded.image_path).toMatch(
          new RegExp(
            `^/api/personas/images/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.${extension}$`,
          ),
        );
        const served = await target.fetch(`${target.baseURL}${uploaded.image_path}`);
        expect(served.status).toBe(200);
        expect(served.headers.get('content-type')).toBe(type);
        expect(Buffer.from(await served.arrayBuffer())).toEqual(Buffer.from(fixture(`clean.${extension}`)));
      }
      const clean = fixture('clean.webp');
      const { image_path } = await readJson(
        await api.upload(clean, 'me.webp', 'image/webp'),
        PersonaImage,
        `${target.name} upload webp`,
        201,
      );
      const webp = await target.fetch(`${target.baseURL}${image_path}`);
      expect(webp.headers.get('content-type')).toBe('image/webp');
      expect(Buffer.from(await webp.arrayBuffer())).toEqual(Buffer.from(clean));
      const persona = await api.json(Persona, 'POST', '/api/personas', { name: 'Face', template: 't' }, 201);
      expect((await api.json(Persona, 'PUT', `/api/personas/${persona.id}`, { image_path })).image_path).toBe(
        image_path,
      );
    },
  },
  {
    name: 'a persona image must be a PNG, JPEG, WebP or GIF by content, and not too large',
    async run(target) {
      const api = await project2501(target);
      const text = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>');
      await readError(
        await api.upload(text, 'face.png', 'image/png'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `${target.name} svg`,
      );
      const pdf = new TextEncoder().encode('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
      await readError(
        await api.upload(pdf, 'face.png', 'image/png'),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
        `${target.name} pdf`,
      );
      const huge = new Uint8Array(5 * 1024 * 1024 + 1);
      huge.set(fixture('clean.png'));
      await readError(
        await api.upload(huge, 'huge.png', 'image/png'),
        413,
        'PAYLOAD_TOO_LARGE',
        `${target.name} huge`,
      );
      const missing = await target.fetch(
        `${target.baseURL}/api/personas/images/0b5e1c9a-2f1d-4c1e-9a57-3d1c2b7e6f10.png`,
      );
      await readError(missing, 404, 'NOT_FOUND', `${target.name} missing image`);
      await readError(
        await target.fetch(`${target.baseURL}/api/personas/images/..%2F..%2Fsecret.png`),
        404,
        'NOT_FOUND',
        `${target.name} traversal`,
      );
    },
  },
  {
    name: 'modules are created, listed by type and activity, changed and deleted; names are unique',
    async run(target) {
      const api = await project2501(target);
      const functions = await api.json(PluginFunctionList, 'GET', '/api/modules/plugin-functions');
      expect(functions.functions.map((fn) => fn.name)).toEqual([
        'set_output',
        'get_variable',
        'get_current_time',
        'log',
      ]);
      const tone = await api.json(Module, 'POST', '/api/modules', { name: 'tone', content: 'calm' }, 201);
      expect(tone).toMatchObject({
        type: 'simple',
        content: 'calm',
        script: null,
        plugin_functions: [],
        trigger_pattern: null,
        execution_stage: null,
        is_active: true,
      });
      const greeter = await api.json(
        Module,
        'POST',
        '/api/modules',
        {
          name: 'greeter',
          type: 'advanced',
          content: '${greeting}!',
          script: 'ctx.set_output("greeting", "Hello")',
          trigger_pattern: 'hello|hi',
          execution_stage: 'pre_response',
          is_active: false,
        },
        201,
      );
      expect(greeter.plugin_functions).toEqual(['set_output']);
      await api.error('POST', '/api/modules', { name: 'tone', content: 'again' }, 409, 'CONFLICT');
      const python = await api.error(
        'POST',
        '/api/modules',
        { name: 'py', type: 'advanced', script: 'def run(ctx):\n    ctx.set_output("a", 1)\n' },
        422,
        'VALIDATION_ERROR',
      );
      expect(python.error.message).toContain('Module scripts are JavaScript');
      await api.error('POST', '/api/modules', { name: 'bad name', content: '' }, 422, 'VALIDATION_ERROR');
      await api.error('POST', '/api/modules', { name: 'adv', type: 'advanced' }, 422, 'VALIDATION_ERROR');
      const names = async (query: string) =>
        (await api.json(ModuleList, 'GET', `/api/modules${query}`)).modules.map((module) => module.name);
      expect(await names('')).toEqual(['tone', 'greeter']);
      expect(await names('?type=advanced')).toEqual(['greeter']);
      expect(await names('?type=simple&active=true')).toEqual(['tone']);
      expect(await names('?active=false')).toEqual(['greeter']);
      const changed = await api.json(Module, 'PUT', `/api/modules/${greeter.id}`, {
        script: 'ctx.log("hi"); ctx.set_output("greeting", ctx.get_variable("word", "Hey"))',
        is_active: true,
      });
      expect([changed.plugin_functions, changed.is_active]).toEqual([
        ['set_output', 'get_variable', 'log'],
        true,
      ]);
      await api.error('PUT', `/api/modules/${greeter.id}`, { name: 'tone' }, 409, 'CONFLICT');
      expect(await api.json(ModuleDeleted, 'DELETE', `/api/modules/${tone.id}`)).toEqual({
        id: tone.id,
        deleted: true,
      });
      await api.error('GET', `/api/modules/${tone.id}`, undefined, 404, 'NOT_FOUND');
    },
  },
  {
    name: 'test-script runs the seed’s example, and a loop or a memory bomb ends success false',
    async run(target) {
      const api = await project2501(target);
      expect(
        await api.json(ScriptTestResult, 'POST', '/api/modules/test-script', {
          script: 'ctx.set_output("greeting", "Hello!")',
        }),
      ).toEqual({ success: true, outputs: { greeting: 'Hello!' }, logs: [], error: null });
      expect(
        await api.json(ScriptTestResult, 'POST', '/api/modules/test-script', {
          script:
            '(ctx) => { console.log("sum"); ctx.set_output("sum", ctx.variables.a + ctx.variables.b); }',
          variables: { a: 2, b: 3 },
        }),
      ).toEqual({
        success: true,
        outputs: { sum: 5 },
        logs: [{ level: 'info', message: 'sum' }],
        error: null,
      });
      const python = await api.json(ScriptTestResult, 'POST', '/api/modules/test-script', {
        script: 'import json\nctx.set_output("a", json.dumps(1))',
      });
      expect([python.success, python.error?.includes('Module scripts are JavaScript')]).toEqual([
        false,
        true,
      ]);
      for (const [script, kind] of [
        ['for (;;) {}', 'timeout'],
        ['let s = "x"; for (;;) s += s;', 'memory'],
      ] as const) {
        const response = await api.send('POST', '/api/modules/test-script', { script }, 'status');
        const result = await readJson(response, ScriptTestResult, `${target.name} ${kind}`, 200, 'allowed');
        expect([result.success, result.error?.split(':')[0]]).toEqual([false, kind]);
      }
    },
  },
  {
    name: 'a template resolves variables and nested modules, and a cycle is a 422 naming it',
    async run(target) {
      const api = await project2501(target);
      await api.json(Module, 'POST', '/api/modules', { name: 'core', content: 'I am @tone; @greeter' }, 201);
      await api.json(Module, 'POST', '/api/modules', { name: 'tone', content: 'calm with ${name}' }, 201);
      await api.json(
        Module,
        'POST',
        '/api/modules',
        {
          name: 'greeter',
          type: 'advanced',
          content: '${greeting}, ${name}!',
          script: 'ctx.set_output("greeting", ctx.get_variable("lang") === "fr" ? "Bonjour" : "Hello")',
        },
        201,
      );
      expect(
        await api.json(TemplateResolution, 'POST', '/api/templates/resolve', {
          template: 'System: @core (${unknown}, me@example.com)',
          variables: { name: 'Ada', lang: 'fr' },
        }),
      ).toEqual({
        resolved: 'System: I am calm with Ada; Bonjour, Ada! (${unknown}, me@example.com)',
        modules_used: ['core', 'tone', 'greeter'],
      });
      await api.json(Module, 'POST', '/api/modules', { name: 'loop_a', content: 'a @loop_b' }, 201);
      await api.json(Module, 'POST', '/api/modules', { name: 'loop_b', content: 'b @loop_a' }, 201);
      const cycle = await api.error(
        'POST',
        '/api/templates/resolve',
        { template: 'x @loop_a' },
        422,
        'VALIDATION_ERROR',
      );
      expect(cycle.error.message).toBe('Modules refer to each other in a cycle: @loop_a → @loop_b → @loop_a');
    },
  },
];
