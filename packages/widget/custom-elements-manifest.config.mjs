/** Builds `custom-elements.json` from the class JSDoc of the widget's elements. */
export default {
  globs: ['src/components/**/*.ts', 'src/events/**/*.ts', 'src/define.ts', 'src/index.ts'],
  exclude: ['src/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
};
