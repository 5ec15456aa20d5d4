// Preloaded with `node --import`: appends every module the process loads to $ZERODROP_LOAD_LOG,
// ES modules through a resolve hook and CommonJS ones (createRequire, a package's own requires)
// through the CommonJS loader, so a test can see what a command really loaded.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

const log = process.env.ZERODROP_LOAD_LOG;
if (log) {
  const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
  const load = Module._load;
  Module._load = function (request, ...rest) {
    appendFileSync(log, `cjs:${request}\n`);
    return load.call(this, request, ...rest);
  };
}
