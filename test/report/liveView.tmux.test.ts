import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// A real terminal: the compiled live view runs in a tmux pane, and what the pane shows afterwards
// is what a user would see. Needs `npm run build` first (the test runs dist/, never ts sources).
const tmux = spawnSync('sh', ['-c', 'command -v tmux'], { encoding: 'utf8' }).stdout.trim();
const demo = fileURLToPath(new URL('./fixtures/live-demo.mjs', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../../dist/report/live/createLiveView.js', import.meta.url)));
if (!tmux) console.warn('!! tmux not installed: SKIPPING the live view terminal test');
if (!built) console.warn('!! dist/ missing (run npm run build): SKIPPING the live view terminal test');

const socket = `zerodrop-live-${process.pid}`;
const run = (...args: string[]) => execFileSync(tmux, ['-L', socket, ...args], { encoding: 'utf8' });

async function paneAfterDemo(mode: string, variant = ''): Promise<string> {
  run('new-session', '-d', '-x', '100', '-y', '30', `node ${demo} ${mode} ${variant}; sleep 30`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const pane = run('capture-pane', '-p');
    if (pane.includes('DONE')) return pane;
    if (Date.now() > deadline) throw new Error(`demo did not finish:\n${pane}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!tmux || !built)('live view in a real terminal (tmux)', () => {
  afterAll(() => {
    spawnSync(tmux, ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  });

  it('redraws one panel in place instead of scrolling frames, and leaves the cursor visible', async () => {
    const pane = await paneAfterDemo('auto');
    expect(pane).toContain('DONE tty');
    // Many frames were drawn (1.5 s at 5 fps); in place means the header is on screen once.
    expect(pane.match(/^zerodrop baseline/gm)).toHaveLength(1);
    expect(pane).toMatch(/failed 5 \(refused 5\)/);
    expect(pane).toMatch(/web-new-1 +ready/);
    expect(pane).toMatch(/web-old-1 +terminating/);
    expect(run('display-message', '-p', '#{cursor_flag}').trim()).toBe('1');
    run('kill-session');
  });

  it.each(['auto', 'plain'])('shows escape sequences in pod names and notes as text (%s): the window keeps its title, the screen its lines', async (mode) => {
    const pane = await paneAfterDemo(mode, 'hostile');
    expect(pane).toContain(`DONE ${mode === 'auto' ? 'tty' : 'plain'}`);
    expect(run('display-message', '-p', '#{pane_title}').trim()).not.toBe('pwned');
    expect(pane).toContain('web-evil\\x1b]2;pwned\\x07\\x1b[2J');
    expect(pane).toContain('note\\x1b]2;pwned\\x07\\x1b[2J');
    // Nothing was cleared: the lines drawn before the hostile events are still on screen.
    expect(pane).toMatch(mode === 'auto' ? /^zerodrop baseline/m : /web-old-1 terminating/);
    run('kill-session');
  });

  it('prints plain lines with --no-progress even on a terminal', async () => {
    const pane = await paneAfterDemo('plain');
    expect(pane).toContain('DONE plain');
    expect(pane).toMatch(/\[baseline\] +\d+\.\d+s proxy removed endpoint web-old-1/);
    expect(pane).toMatch(/requests? failed in this second \(refused \d/);
    expect(pane).not.toContain('\x1b');
    run('kill-session');
  });
});
