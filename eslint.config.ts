import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/**
 * Lint rules decided once (shared STYLE.md, "Tooling, decided once"): typescript-eslint's
 * strictTypeChecked, type-only imports spelled `import type`, the React hooks rules for web/, and
 * no `process.env` outside the configuration module. ESLint loads this TypeScript file through
 * `jiti` (a devDependency).
 */

/** The only places allowed to read the environment: the server's config module, setup scripts,
 * the e2e harness's global setup (it starts LiveKit and the server for the tests) and the
 * benchmarks' command lines. */
const ENV_READERS = [
  'server/config/config.ts',
  'scripts/**',
  'tests/e2e/global-setup.ts',
  'bench/**',
];

const processEnvMessage =
  'Read the environment only in server/config/config.ts (loadConfig); pass configuration in.';

export default defineConfig(
  // types/ holds declarations for tsconfig.shared.json only (see there); no project covers it.
  globalIgnores(['dist/', '.cache/', 'node_modules/', 'sessions/', 'coverage/', 'types/']),
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      // Numbers in messages and log lines (`${durationMs} ms`) are the common, safe case; objects,
      // null and undefined in a template are still errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `onClick={() => setOpen(true)}` and `() => server.close()` are the idiom for callbacks; the
      // rule still catches a void value returned from a block body or stored in a variable.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `const { secret: _omitted, ...rest } = record` is how a field is left out of a copy; tsc's
      // noUnusedLocals accepts it too.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: processEnvMessage },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.property.name='process'][property.name='env']",
          message: processEnvMessage,
        },
      ],
    },
  },
  {
    files: ENV_READERS,
    rules: {
      'no-restricted-properties': 'off',
      'no-restricted-syntax': 'off',
    },
  },
  {
    // Test doubles implement async interfaces (persist, closeRoom, livekitReady) with async
    // functions that have nothing to await; `async` keeps them shaped like the real thing (a
    // throw becomes a rejection), so require-await is off for tests and the test helpers.
    files: ['**/*.test.{ts,tsx}', 'server/testing/**', 'tests/**'],
    rules: {
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    // The plugin's `configs` typings do not match ESLint's Plugin type; its rules do.
    plugins: { 'react-hooks': { meta: reactHooks.meta, rules: reactHooks.rules } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
