import { describe, expect, it } from 'vitest';
import { auditText } from '../testing.js';
import { describeFixtureTable } from './fixtures/fixtureTable.js';

const ID = 'uwsgi-sigterm-reload';

describeFixtureTable(ID, [
  ['uwsgi in shell form', 'FROM python:3.12\nCMD uwsgi --http :8080 --module app:app\n', 1],
  ['die-on-term flag', 'FROM python:3.12\nCMD ["uwsgi", "--die-on-term", "--http", ":8080"]\n', 0],
  ['die-on-term via env', 'FROM python:3.12\nENV UWSGI_DIE_ON_TERM=1\nCMD ["uwsgi", "--http", ":8080"]\n', 0],
  ['not uwsgi', 'FROM python:3.12\nCMD ["gunicorn", "app:app"]\n', 0],
]);

describe(ID, () => {
  it('says when an ini file might set die-on-term', () => {
    const [f] = auditText('FROM python:3.12\nCMD ["uwsgi", "--ini", "/etc/app.ini"]\n', { rules: [ID] });
    expect(f!.message).toMatch(/cannot see/);
  });
});
