import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layering the architecture promises, checked on every import (type-only and dynamic ones
 * included): the Kubernetes model is pure, the graceful library ships alone, commands sit on top,
 * and what ships in dist/ imports only runtime dependencies.
 */
const ROOT = resolve(import.meta.dirname, '..');
const SRC = join(ROOT, 'src');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const isTest = (file: string) => file.endsWith('.test.ts') || file.includes('/fixtures/');

/** Every module specifier a file imports or re-exports, statically or dynamically; relative ones as paths under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm)].map(
    (m) => (m[1] ?? m[2] ?? m[3])!,
  );
  return specs.map((s) => (s.startsWith('.') ? relative(SRC, resolve(dirname(file), s.replace(/\.js$/, '.ts'))) : s));
}

const packageName = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
const isBuiltin = (spec: string) => spec.startsWith('node:') || builtinModules.includes(spec);

function violations(under: string, allowed: (spec: string) => boolean): string[] {
  return sourceFiles(join(SRC, under))
    .filter((f) => !isTest(f))
    .flatMap((f) =>
      importsOf(f)
        .filter((s) => !allowed(s))
        .map((s) => `${relative(ROOT, f)} imports ${s}`),
    );
}

describe('layering', () => {
  it('src/k8s imports nothing outside itself (pure Kubernetes semantics)', () => {
    expect(violations('k8s', (s) => s.startsWith('k8s/'))).toEqual([]);
  });

  it('src/graceful imports only itself, src/errors.ts and Node built-ins (zero runtime dependencies)', () => {
    expect(violations('graceful', (s) => s.startsWith('graceful/') || s === 'errors.ts' || isBuiltin(s))).toEqual([]);
  });

  it('nothing outside src/cli imports src/cli', () => {
    const outside = sourceFiles(SRC)
      .filter((f) => !isTest(f) && !relative(SRC, f).startsWith('cli/'))
      .flatMap((f) =>
        importsOf(f)
          .filter((s) => s.startsWith('cli/'))
          .map((s) => `${relative(ROOT, f)} imports ${s}`),
      );
    expect(outside).toEqual([]);
  });

  it('shipped code imports only Node built-ins, its own modules and runtime dependencies', () => {
    const deps = new Set(Object.keys(pkg.dependencies));
    const bad = sourceFiles(SRC)
      .filter((f) => !isTest(f))
      .flatMap((f) =>
        importsOf(f)
          .filter((s) => !s.endsWith('.ts') && !isBuiltin(s) && !deps.has(packageName(s)))
          .map((s) => `${relative(ROOT, f)} imports ${s}`),
      );
    expect(bad).toEqual([]);
  });

  it('the import scanner sees dynamic, type-only and package imports (so the checks above can fail)', () => {
    expect(importsOf(join(SRC, 'cli', 'rollout.ts'))).toContain('cluster/rolloutRun.ts');
    const typeOnly = readFileSync(join(SRC, 'k8s', 'rollingUpdate.ts'), 'utf8').match(/^import type .* from '\.\/([^']+)\.js'/m)![1]!;
    expect(importsOf(join(SRC, 'k8s', 'rollingUpdate.ts'))).toContain(`k8s/${typeOnly}.ts`);
    expect(importsOf(join(SRC, 'audit', 'yamlSource.ts'))).toContain('yaml');
  });
});
