import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';
import { boundaryViolation, resolveImport } from './scripts/boundaries.js';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** `openarky/module-boundaries`: another module is reached only through its index.ts (STYLE). */
const openarky = {
  rules: {
    'module-boundaries': {
      meta: {
        type: 'problem',
        schema: [],
        docs: { description: "forbid importing another module's internals" },
      },
      create(context) {
        const check = (node) => {
          if (!node.source || typeof node.source.value !== 'string') return;
          const target = resolveImport(context.filename, node.source.value);
          const why = target && boundaryViolation(context.filename, target);
          if (why) context.report({ node: node.source, message: why });
        };
        return {
          ImportDeclaration: check,
          ExportNamedDeclaration: check,
          ExportAllDeclaration: check,
          ImportExpression: check,
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']",
          message: '.only must not be committed',
        },
      ],
    },
  },
  {
    files: ['packages/server/src/**/*.ts'],
    plugins: { openarky },
    rules: { 'openarky/module-boundaries': 'error' },
  },
  {
    // lib/ is the foundation every module builds on: no escape hatches in its types.
    files: ['packages/server/src/lib/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'error' },
  },
  {
    // The SDK runs in browsers: no Node built-ins, no Node globals.
    files: ['packages/sdk/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: nodeBuiltins.map((name) => ({ name, message: 'The SDK must not use Node built-ins' })) },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', '__dirname', 'require'],
    },
  },
  {
    // The dashboard runs in browsers and talks to the API only through the SDK.
    files: ['packages/admin/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: nodeBuiltins.map((name) => ({ name, message: 'The dashboard runs in browsers' })) },
      ],
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  // Build scripts and bin launchers are plain Node ESM.
  {
    files: ['packages/*/scripts/**/*.js', 'packages/*/bin/**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  { files: ['scripts/**/*.js'], languageOptions: { globals: { ...globals.node } } },
);
