import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { transformSync } from '@swc/core';

/** An ajv validate function as rest-typings exports it. */
export interface AjvValidator {
  (data: unknown): boolean;
  errors?: { message?: string }[] | null;
}

export interface RestTypings {
  /** every `is…` export of `dist/v1/omnichannel.js` */
  validators: Record<string, AjvValidator>;
  /** rest-typings' own body ajv (coerceTypes: true), for the schemas 8.8.1 no longer ships */
  compile(schema: object): AjvValidator;
}

type Exports = Record<string, unknown>;

let loaded: RestTypings | undefined;

/**
 * `@rocket.chat/rest-typings` publishes ES module syntax without `"type": "module"`, so Node cannot
 * `require` it. Only `dist/v1/Ajv.js` and `dist/v1/omnichannel.js` are needed: they are turned into
 * CommonJS with SWC once, on first use, and run with their own `ajv`/`ajv-formats`. The one import
 * from core-typings is the `ILivechatAgentStatus` enum, taken from its (CommonJS) file alone so the
 * whole of core-typings is not loaded.
 */
export function restTypings(): RestTypings {
  loaded ??= load();
  return loaded;
}

function load(): RestTypings {
  const packageJson = createRequire(__filename).resolve('@rocket.chat/rest-typings/package.json');
  const v1 = join(dirname(packageJson), 'dist', 'v1');
  const packageRequire = createRequire(packageJson);
  const coreTypings = packageRequire('@rocket.chat/core-typings/dist/ILivechatAgent') as Exports;
  const ajvModule = runEsm(join(v1, 'Ajv.js'), {});
  const omnichannel = runEsm(join(v1, 'omnichannel.js'), { './Ajv': ajvModule, '@rocket.chat/core-typings': coreTypings });
  const validators: Record<string, AjvValidator> = {};
  for (const [name, value] of Object.entries(omnichannel)) if (name.startsWith('is') && typeof value === 'function') validators[name] = value as AjvValidator;
  const ajv = ajvModule.ajv as { compile(schema: object): AjvValidator };
  return { validators, compile: (schema) => ajv.compile(schema) };
}

/** Transforms one ES module file to CommonJS and runs it; `provided` answers some of its imports. */
function runEsm(filename: string, provided: Record<string, Exports>): Exports {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    filename,
    swcrc: false,
    configFile: false,
    sourceMaps: false,
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
  });
  const fileRequire = createRequire(filename);
  const requireFor = (id: string): unknown => provided[id] ?? fileRequire(id);
  const module = { exports: {} as Exports };
  const wrapped = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename }) as (
    exports: Exports,
    require: (id: string) => unknown,
    module: { exports: Exports },
    filename: string,
    dirname: string,
  ) => void;
  wrapped(module.exports, requireFor, module, filename, dirname(filename));
  return module.exports;
}
