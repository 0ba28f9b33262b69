// @vitest-environment happy-dom
import type { Action } from '@cartrita/contracts';
import { html, nothing, render } from 'lit';
import { describe, expect, it } from 'vitest';
import { catalogue, color, formValues, renderWidgetTree, space, styleOf, withValues } from './catalogue.js';

const show = (widget: unknown, busy = false) => {
  const actions: Action[] = [];
  const unknown: string[] = [];
  const root = document.createElement('div');
  document.body.append(root);
  const draw = () =>
    render(
      renderWidgetTree(widget, {
        lit: { html, nothing },
        busy,
        isAllowedImage: (url) => url.startsWith('https://img.example/'),
        markdown: () => nothing,
        onAction: (action) => actions.push(action),
        onUnknown: (type) => unknown.push(type),
        itemId: 'msg_1',
        refresh: () => draw(),
        strings: { more: 'Show more', unsupported: 'Cannot show {type}' },
      }),
      root,
    );
  draw();
  return { root, actions, unknown, draw };
};

describe('the widget catalogue', () => {
  it('collects a form’s values by name: dotted names nest, checkboxes are booleans, radios their value', () => {
    const form = document.createElement('form');
    form.innerHTML = `<input name="user.name" value="Ada"><input name="user.age" value="36">
      <input type="checkbox" name="news" checked><input type="checkbox" name="terms">
      <input type="radio" name="size" value="s"><input type="radio" name="size" value="m" checked>
      <input type="radio" name="colour" value="red"><select name="pick"><option value="a">A</option><option value="b" selected>B</option></select>
      <input name="__proto__.polluted" value="x"><input name="off" value="1" disabled><button name="b">B</button>`;
    expect(formValues(form)).toEqual({
      user: { name: 'Ada', age: '36' },
      news: true,
      terms: false,
      size: 'm',
      colour: null,
      pick: 'b',
    });
    expect(({} as Record<string, unknown>).polluted).toBe(undefined);
    expect(formValues(null)).toEqual({});
  });

  it('merges values into an object payload, the payload’s own keys winning; other payloads stay', () => {
    expect(
      withValues({ type: 'save', payload: { id: 1, name: 'kept' } }, { name: 'typed', note: 'n' }),
    ).toEqual({
      type: 'save',
      payload: { id: 1, name: 'kept', note: 'n' },
    });
    expect(withValues({ type: 'save' }, { note: 'n' })).toEqual({ type: 'save', payload: { note: 'n' } });
    expect(withValues({ type: 'save', payload: 'raw' }, { note: 'n' })).toEqual({
      type: 'save',
      payload: 'raw',
    });
    expect(withValues({ type: 'save' }, {})).toEqual({ type: 'save' });
  });

  it('lets only safe style values through', () => {
    expect(space(4)).toBe('1rem');
    expect(space('12px')).toBe('12px');
    expect(space('1px;background:url(https://evil.example)')).toBe(undefined);
    expect(color('danger')).toBe('var(--_d)');
    expect(color('#ff0000')).toBe('#ff0000');
    expect(color({ light: '#fff', dark: '#000' })).toBe('light-dark(#fff,#000)');
    expect(color('red;background:url(x)')).toBe(undefined);
    expect(color('expression(alert(1))')).toBe(undefined);
    expect(
      styleOf({
        type: 'Box',
        gap: 2,
        padding: { x: 4, y: 'url(x)' },
        align: 'center',
        background: 'javascript:x',
      }),
    ).toBe('gap:0.5rem;padding-inline:1rem;align-items:center');
  });

  it('submits a Form with its onSubmitAction and every field, and runs change actions', () => {
    const { root, actions } = show({
      type: 'Basic',
      children: [
        {
          type: 'Form',
          onSubmitAction: { type: 'todo.add', payload: { list: 7 } },
          children: [
            { type: 'Input', name: 'todo.title', defaultValue: 'Milk' },
            { type: 'Checkbox', name: 'urgent', onChangeAction: { type: 'todo.flag' } },
            { type: 'Button', label: 'Add', submit: true },
          ],
        },
      ],
    });
    root.querySelector<HTMLInputElement>('input[type=checkbox]')?.click();
    root.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    expect(actions).toEqual([
      { type: 'todo.flag', payload: { todo: { title: 'Milk' }, urgent: true } },
      { type: 'todo.add', payload: { list: 7, todo: { title: 'Milk' }, urgent: true } },
    ]);
  });

  it('renders a Transition’s child, a card’s confirm and cancel, and nothing it would drop', () => {
    const { root, actions } = show({
      type: 'Card',
      confirm: { label: 'Yes', action: { type: 'yes' } },
      cancel: { label: 'No', action: { type: 'no' } },
      children: [{ type: 'Transition', children: { type: 'Text', value: 'Inside' } }],
    });
    expect(root.querySelector('.w-transition')?.textContent?.trim()).toBe('Inside');
    const buttons = [...root.querySelectorAll('button')].map((b) => b.textContent?.trim());
    expect(buttons).toEqual(['No', 'Yes']);
    for (const button of root.querySelectorAll('button')) button.click();
    expect(actions.map((a) => a.type)).toEqual(['no', 'yes']);
  });

  it('shows an unknown component as a placeholder and reports it once', () => {
    const widget = { type: 'Card', children: [{ type: 'Carousel' }] };
    const { root, unknown, draw } = show(widget);
    draw();
    expect(root.querySelector('[part~="widget-unknown"]')?.textContent?.trim()).toBe('Cannot show Carousel');
    expect(unknown).toEqual(['Carousel']);
  });

  it('fires nothing while the thread is locked', () => {
    const { root, actions } = show(
      { type: 'Card', children: [{ type: 'Button', label: 'Go', onClickAction: { type: 'go' } }] },
      true,
    );
    const button = root.querySelector('button') as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    button.click();
    expect(actions).toEqual([]);
  });

  it('knows every component type of the catalogue and renders none of them as unknown', () => {
    const { unknown } = show({ type: 'Basic', children: catalogue.map((type) => ({ type })) });
    expect(unknown).toEqual([]);
    expect(catalogue.length).toBe(30);
  });
});
