import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { anchorsOf, checkCitations, formatProblems, repositoryRoot, slug } from './citations.js';

const ROOT = repositoryRoot(import.meta.filename);
const SECTION_SIGN = '\u00a7';

describe('GitHub heading anchors', () => {
  it.each([
    ['Kubelet sequence', 'kubelet-sequence'],
    ['Deployment RollingUpdate', 'deployment-rollingupdate'],
    ['`server.close()` and friends', 'serverclose-and-friends'],
    ['PID 1', 'pid-1'],
    ['Signals and PID 1: [link](x.md)', 'signals-and-pid-1-link'],
  ])('%s → #%s', (heading, anchor) => {
    expect(slug(heading)).toBe(anchor);
  });

  it('numbers duplicate headings, ignores fenced code and accepts explicit ids', () => {
    const anchors = anchorsOf('# A\n## Design\n```\n# not a heading\n```\n### Design\n<a id="custom"></a>\n');
    expect([...anchors].sort()).toEqual(['a', 'custom', 'design', 'design-1']);
  });
});

describe('the citation checker', () => {
  // Built from parts so that this file itself holds no citation the repository check would flag.
  const DOCS = 'docs';
  const MD = '.md';
  const scratch = mkdtempSync(join(tmpdir(), 'zerodrop-citations-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const write = (rel: string, text: string) => {
    mkdirSync(dirname(join(scratch, rel)), { recursive: true });
    writeFileSync(join(scratch, rel), text);
  };
  write(`${DOCS}/reference/pod-termination${MD}`, '# Pod termination\n\n## Grace period\n\ntext\n');
  write(
    `${DOCS}/reference/README${MD}`,
    `# Reference\n\n[grace](pod-termination${MD}#grace-period), [page](pod-termination${MD}), [self](#reference), [web](https://kubernetes.io/x#y)\n`,
  );
  write(`${DOCS}/rules/good${MD}`, `# Good\n\nSee [grace](../reference/pod-termination${MD}#grace-period).\n\n\`\`\`\n[not a link](nowhere${MD})\n\`\`\`\n`);
  write('src/good.ts', `// ${DOCS}/reference/pod-termination${MD}#grace-period\nconst url = \`\${BASE}/${DOCS}/rules/\${id}${MD}\`;\n`);

  it('accepts a tree whose citations all resolve', () => {
    expect(formatProblems(scratch, checkCitations(scratch))).toBe('');
  });

  it('fails on each kind of unresolvable citation, naming file and line', () => {
    write('src/bad.ts', `// the kubelet (kubernetes-semantics ${SECTION_SIGN}1.2)\nconst m = 'see ${DOCS}/reference/pod-termination${MD}#no-such-anchor';\n`);
    write(
      `${DOCS}/bad${MD}`,
      `# Bad\n\nFrom ${SECTION_SIGN}3.1 and [gone](reference/missing${MD}), [anchor](reference/pod-termination${MD}#grace).\nFacts in \`kubernetes-semantics${MD}\`.\n`,
    );
    write('test/bad.test.ts', `it('x (${DOCS}/rules/missing${MD})', () => {});\n// the shape of ${'issue'} 2\n`);
    const problems = formatProblems(scratch, checkCitations(scratch)).split('\n');
    expect(problems).toEqual([
      expect.stringMatching(/^src\/bad\.ts:1: section-sign citation/),
      expect.stringMatching(/^src\/bad\.ts:2: docs\/reference\/pod-termination\.md#no-such-anchor: no heading/),
      expect.stringMatching(/^docs\/bad\.md:3: section-sign citation/),
      expect.stringMatching(/^docs\/bad\.md:4: "kubernetes-semantics\.md" is not in the repository/),
      expect.stringMatching(/^docs\/bad\.md:3: link reference\/missing\.md: no such file/),
      expect.stringMatching(/^docs\/bad\.md:3: link reference\/pod-termination\.md#grace: no heading with anchor #grace/),
      expect.stringMatching(/^test\/bad\.test\.ts:2: "is{2}ue 2" names the project's own issue tracker/),
      expect.stringMatching(/^test\/bad\.test\.ts:1: docs\/rules\/missing\.md: no such file/),
    ]);
  });
});

describe('the repository', () => {
  it('cites only what it contains: no section-sign citation, every link and docs/ anchor resolves', () => {
    expect(formatProblems(ROOT, checkCitations(ROOT))).toBe('');
  });
});
