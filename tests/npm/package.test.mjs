// The JavaScript API as built by wasm-pack (Node target): the same numbers as the CLI for the
// messy fixture (tests/fixtures/messy/README.md), the report shape, and the demo data.
// scripts/test builds the package into target/npm-pkg and sets WAYMARK_NPM_PKG.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const pkgDir = process.env.WAYMARK_NPM_PKG || path.join(repoRoot, 'target', 'npm-pkg');
const waymark = createRequire(import.meta.url)(path.join(pkgDir, 'waymark_wasm.js'));
const fixture = new Uint8Array(fs.readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'messy', 'people-win1252.csv')));

test('validate reports the messy export exactly as the CLI does', () => {
  const report = waymark.validate(['people-win1252.csv'], [fixture], null);
  const file = report.files[0];
  assert.equal(file.table, 'people');
  assert.equal(file.encoding, 'windows1252');
  assert.equal(file.delimiter, 'semicolon');
  assert.deepEqual([file.rows_read, file.rows_accepted, file.rows_rejected], [7, 3, 4]);
  const errors = report.issues.filter((i) => i.severity === 'error').map((i) => [i.line, i.column]);
  assert.deepEqual(errors, [[5, 'Referral Date'], [6, 'Care Pathway'], [7, 'Discharge Date'], [8, 'Referral Date']]);
});

test('a mapping object is honoured and a bad one is a clear error', () => {
  const csv = new TextEncoder().encode('Ref,Programme,Began\nA1,Step-down,03/04/2024\n');
  const mapping = { date_order: 'month_first', files: [{ name: 'clients.csv', table: 'people', columns: { Ref: 'person_id', Programme: 'pathway', Began: 'start_date' } }] };
  const report = waymark.validate(['clients.csv'], [csv], mapping);
  assert.equal(report.files[0].rows_accepted, 1);
  assert.throws(() => waymark.validate(['clients.csv'], [csv], { nonsense: 1 }), /mapping is not valid/);
});

test('report and demoFiles', () => {
  const files = waymark.demoFiles(30, 5);
  assert.deepEqual(files.map((f) => f.name).sort(), ['events.csv', 'feedback.csv', 'goals.csv', 'outcomes.csv', 'people.csv', 'status.csv']);
  const encoder = new TextEncoder();
  const report = waymark.report(files.map((f) => f.name), files.map((f) => encoder.encode(f.csv)), null, '2026-06-30');
  // The version the published schema documents (docs/report-schema.json), not a copy of it.
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs', 'report-schema.json'), 'utf8'));
  assert.equal(report.schema_version, schema.properties.schema_version.const);
  assert.equal(report.as_of, '2026-06-30');
  assert.equal(report.data.n_people, 30);
  assert.equal(report.data_quality.errors, 0);
  assert.match(waymark.version(), /^\d+\.\d+\.\d+$/);
  const measures = report.direction_of_travel.measures.map((m) => m.measure).sort();
  assert.ok(measures.includes('PHQ-9') && measures.includes('WEMWBS'), measures.join());
  assert.ok(report.direction_of_travel.interpretation.length > 0);
  assert.throws(() => waymark.report(['people.csv'], [encoder.encode(files[0].csv)], { analysis: { window: 3 } }, null), /configuration is not valid/);
});

test('a streaming Session fed small slices gives the same report as validate', () => {
  const session = new waymark.Session(null);
  session.beginFile('people-win1252.csv', fixture.length);
  for (let start = 0; start < fixture.length; start += 5) session.push(fixture.subarray(start, start + 5));
  session.endFile();
  assert.equal(session.bytesRead, fixture.length);
  const streamed = session.validate();
  assert.deepEqual(streamed, waymark.validate(['people-win1252.csv'], [fixture], null));
  assert.throws(() => session.validate(), /already finished/);
});

test('the published API carries no measurement: timeEngines and memoryBytes are bench-build only', () => {
  assert.equal(typeof waymark.report, 'function');
  assert.equal(waymark.timeEngines, undefined);
  assert.equal(waymark.memoryBytes, undefined);
});
