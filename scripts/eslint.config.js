// ESLint flat config (npm run lint: `eslint -c scripts/eslint.config.js`). With -c, ESLint
// resolves the patterns below against the current directory, which npm sets to the repo root.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['www/pkg/', 'www/vendor/', 'node_modules/', 'target/', 'data/', 'test-results/', 'tests/e2e/report/', 'bench-results/'] },
  js.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-unused-vars': ['error', { args: 'after-used', caughtErrors: 'none', ignoreRestSiblings: true }],
      eqeqeq: ['error', 'smart'],
      'no-shadow': ['error', { allow: ['_'] }],
      'no-var': 'error',
      'prefer-const': 'error',
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-unmodified-loop-condition': 'error',
      'no-use-before-define': ['error', { functions: false, classes: false, variables: false }],
      'array-callback-return': 'error',
      'no-promise-executor-return': 'error',
      'no-constructor-return': 'error',
    },
  },
  // The page (and its workers): browser globals.
  { files: ['www/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['www/worker.js', 'www/worker/*.js', 'www/lessons-worker.js', 'tests/bench/*-worker.js'], languageOptions: { globals: { ...globals.worker } } },
  // Node scripts and tests (Playwright specs run in Node; their page.evaluate callbacks in the browser).
  { files: ['scripts/**/*.{js,mjs}', 'tests/**/*.{js,mjs}'], languageOptions: { globals: { ...globals.node } } },
  {
    files: ['tests/e2e/**/*.{js,mjs}', 'tests/bench/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.browser } },
    // page.evaluate(({a}) => …, {a}) names its arguments like the caller's variables on purpose.
    rules: { 'no-shadow': 'off' },
  },
];
