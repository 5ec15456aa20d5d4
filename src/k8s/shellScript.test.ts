import { describe, expect, it } from 'vitest';
import { execFormOf, scriptShape, withExecOnLastCommand } from './shellScript.js';

describe('scriptShape: the commands a shell runs, as PID 1 sees them', () => {
  it.each([
    ['one command', 'node server.js', 'simple', 1, 'no'],
    ['a list joined by &&', 'cd /app && node server.js', 'simple', 2, 'no'],
    ['a trailing semicolon is no extra command', 'envsubst < a.tmpl > a.yaml && envoy -c a.yaml;', 'simple', 2, 'no'],
    ['a loop', 'while true; do date > /mnt/index.html; sleep 5; done', 'compound', 1, 'no'],
    ['a pipeline', 'server | tee /log', 'pipeline', 1, 'no'],
    ['a background job then wait', 'server & wait', 'simple', 2, 'no'],
    ['exec of the server', 'cd /app && exec node server.js', 'simple', 2, 'yes'],
    ['exec that only redirects', 'exec >/dev/stdout; node server.js', 'simple', 2, 'no'],
    ['exec inside a branch only', 'if [ -n "$X" ]; then exec a; fi; b', 'simple', 2, 'unknown'],
    ['comments and line continuations', '# start\npython3 launch.py \\\n  --world_size 1\n\ntail -f /dev/null', 'simple', 2, 'no'],
    ['quotes and command substitution with separators inside', `echo "a; b" && x=$(echo 'c && d'); exec node "$x"`, 'simple', 3, 'yes'],
    ['a case statement', 'case "$1" in a) echo a;; *) echo b;; esac', 'compound', 1, 'no'],
    ['a function, then its call', 'main() { exec node s.js; }\nmain "$@"', 'simple', 2, 'unknown'],
  ] as const)('%s', (_name, script, kind, count, execs) => {
    const shape = scriptShape(script);
    expect(shape?.last.kind).toBe(kind);
    expect(shape?.commandCount).toBe(count);
    expect(shape?.execs).toBe(execs);
  });
  it('reads a form feed, a no-break space or U+2028 inside a word as part of it, as a shell does', () => {
    // Found by the fuzz campaign: the tokenizer looped for ever (and ran out of memory) on these.
    for (const odd of ['\u2028', '\u2029', '\u00a0', '\f', '\v']) {
      const shape = scriptShape(`node migrate.js && exec no${odd}de server.js`);
      expect(shape?.commandCount).toBe(2);
      expect(shape?.execs).toBe('yes');
      const last = shape?.last;
      expect(last?.kind === 'simple' ? last.words.map((w) => w.literal) : undefined).toEqual(['exec', `no${odd}de`, 'server.js']);
    }
    // `exec` then a line break execs nothing: the next line is a command of its own.
    expect(scriptShape('if true; then exec\nnode s.js; fi')?.execs).toBe('no');
  });
  it('gives up on what it does not follow (here-documents, unbalanced quotes)', () => {
    expect(scriptShape('cat <<EOF\nx\nEOF\nnode s.js')).toBeUndefined();
    expect(scriptShape('echo "unterminated')).toBeUndefined();
  });
  it('notices trap handlers, which keep the shell running', () => {
    expect(scriptShape("trap 'kill $PID' TERM; node s.js")?.setsTrapHandler).toBe(true);
    expect(scriptShape("trap '' TERM; node s.js")?.setsTrapHandler).toBe(false);
  });
});

describe('withExecOnLastCommand: exec before the server, valid by construction', () => {
  it.each([
    ['node server.js', 'exec node server.js'],
    ['cd /app && node server.js', 'cd /app && exec node server.js'],
    ['envsubst < a.tmpl > a.yaml && envoy -c a.yaml;', 'envsubst < a.tmpl > a.yaml && exec envoy -c a.yaml;'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, expanded by the shell, not by JavaScript
    ['locust --host="http://${FRONTEND_ADDR}" -u "${USERS:-10}" 2>&1', 'exec locust --host="http://${FRONTEND_ADDR}" -u "${USERS:-10}" 2>&1'],
    ['MONGO_URL=mongodb://$HOST:27017 /usr/local/bin/node main.js', 'MONGO_URL=mongodb://$HOST:27017 exec /usr/local/bin/node main.js'],
    ['source /etc/app/config && /usr/bin/agent', 'source /etc/app/config && exec /usr/bin/agent'],
  ])('%s', (script, fixed) => {
    expect(withExecOnLastCommand(script)).toBe(fixed);
  });
  it.each([
    ['a loop has no server to exec', 'while true; do wrk http://svc; done'],
    ['a keep-alive idiom is no server', 'python3 launch.py\ntail -f /dev/null'],
    ['a background job and wait', 'server & wait'],
    ['a pipeline', 'server | tee /log'],
    ['already execs', 'exec node s.js'],
  ])('none when %s', (_name, script) => {
    expect(withExecOnLastCommand(script)).toBeUndefined();
  });
});

describe('execFormOf: a script that exec form can say without a shell', () => {
  it('plain words become argv; cd DIR && becomes a WORKDIR', () => {
    expect(execFormOf('nginx -g "daemon off;"')).toEqual({ argv: ['nginx', '-g', 'daemon off;'] });
    expect(execFormOf('cd /srv && ./server --port 80')).toEqual({ workdir: '/srv', argv: ['./server', '--port', '80'] });
    expect(execFormOf('exec java -jar /app.jar')).toEqual({ argv: ['java', '-jar', '/app.jar'] });
  });
  it('anything the shell would expand or redirect stays with a shell', () => {
    expect(execFormOf('uvicorn main:app --port $PORT')).toBeUndefined();
    expect(execFormOf('server 2>&1')).toBeUndefined();
    expect(execFormOf('PORT=80 server')).toBeUndefined();
    expect(execFormOf('java -cp lib/* Main')).toBeUndefined();
    expect(execFormOf('migrate; server')).toBeUndefined();
  });
});
