import { testRule } from './fixtures/ruleTester.js';

// docs/reference/signals.md#image-stop-signals uWSGI: SIGTERM reloads unless die-on-term (unbit/uwsgi#849).
const pod = (container: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: example/app:1\n${container}`;

testRule('uwsgi-sigterm-reload', {
  valid: [
    { name: 'die-on-term flag', text: 'FROM python:3.12\nCMD ["uwsgi", "--die-on-term", "--http", ":8080"]\n' },
    { name: 'die-on-term via env', text: 'FROM python:3.12\nENV UWSGI_DIE_ON_TERM=1\nCMD ["uwsgi", "--http", ":8080"]\n' },
    { name: 'not uwsgi', text: 'FROM python:3.12\nCMD ["gunicorn", "app:app"]\n' },
    { name: 'a container with the graceful hook', text: pod('    command: ["uwsgi", "--hook-master-start", "unix_signal:15 gracefully_kill_them_all"]\n') },
    { name: 'a container with die-on-term in its environment', text: pod('    command: ["uwsgi"]\n    env: [{name: UWSGI_DIE_ON_TERM, value: "1"}]\n') },
  ],
  invalid: [
    {
      name: 'uwsgi in shell form',
      text: 'FROM python:3.12\nCMD uwsgi --http :8080 --module app:app\n',
      findings: [{ messageId: 'reloads', line: 2, data: { where: 'CMD' }, fixId: 'dieOnTerm' }],
    },
    {
      name: 'says when an ini file might set die-on-term',
      text: 'FROM python:3.12\nCMD ["uwsgi", "--ini", "/etc/app.ini"]\n',
      findings: [{ messageId: 'reloadsUnlessConfigSays', line: 2, data: { where: 'CMD' } }],
    },
    {
      name: 'a container running uwsgi through args, at the args',
      text: pod('    args: ["uwsgi", "--http", ":8080"]\n'),
      findings: [{ messageId: 'reloads', line: 8, container: 'app', data: { where: 'container app' } }],
    },
  ],
});
