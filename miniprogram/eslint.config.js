// ESLint 9 flat config: JS of the mini-program, its tests and scripts, and every .wxml.
const js = require('@eslint/js');
const globals = require('globals');
const wxml = require('eslint-plugin-wxml');
const wxmlParser = require('@wxml/parser');

const miniprogramGlobals = {
  wx: 'readonly',
  App: 'readonly',
  Page: 'readonly',
  Component: 'readonly',
  Behavior: 'readonly',
  getApp: 'readonly',
  getCurrentPages: 'readonly',
  requirePlugin: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
  setInterval: 'readonly',
  clearInterval: 'readonly',
  console: 'readonly',
};

module.exports = [
  { ignores: ['node_modules/**', 'miniprogram_npm/**', 'screenshots/**', 'coverage/**'] },
  {
    files: ['**/*.js'],
    ...js.configs.recommended,
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: 'commonjs',
      globals: { ...globals.commonjs, ...miniprogramGlobals },
    },
    rules: {
      ...js.configs.recommended.rules,
      'no-unused-vars': ['error', { args: 'after-used', argsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
      'no-var': 'error',
      'prefer-const': 'error',
    },
  },
  {
    files: ['tests/**/*.js', 'tests-real/**/*.js', 'scripts/**/*.js', 'eslint.config.js', 'jest.config.js'],
    languageOptions: { globals: { ...globals.node, ...globals.jest, ...globals.browser } },
  },
  {
    files: ['**/*.wxml'],
    plugins: { wxml },
    languageOptions: { parser: wxmlParser },
    rules: {
      'wxml/report-wxml-syntax-error': 'error',
      'wxml/report-interpolation-error': 'error',
      'wxml/no-duplicate-attributes': 'error',
      'wxml/no-wx-for-with-wx-if': 'error',
      'wxml/wx-key': 'error',
      'wxml/no-vue-directive': 'error',
      'wxml/no-inline-wxs': 'error',
      'wxml/no-unexpected-string-bool': 'error',
      'wxml/event-binding-style': ['error', 'no-colon'],
      'wxml/max-depth': ['error', 8],
    },
  },
];
