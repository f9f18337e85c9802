import next from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...next,
  ...nextTs,
  {
    ignores: [
      "src/generated/**",
      ".next/**",
      ".data/**",
      "node_modules/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through src/server/env.ts.",
        },
      ],
    },
  },
  {
    files: ["src/server/env.ts", "scripts/**", "tests/**", "e2e/**", "prisma/**", "*.config.*", "playwright.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
];

export default config;
