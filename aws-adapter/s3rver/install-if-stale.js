// Runs `npm ci` unless node_modules already holds the install of exactly this package-lock.json.
// A stamp (a copy of the lock file written after a successful install) tells the two apart, so a
// changed lock file or a half-finished install is reinstalled and an up-to-date one costs nothing.
'use strict';
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const here = __dirname;
const lock = path.join(here, 'package-lock.json');
const stamp = path.join(here, 'node_modules', '.leasehold-installed-lock.json');
const entry = path.join(here, 'node_modules', 's3rver', 'bin', 's3rver.js');

const wanted = fs.readFileSync(lock, 'utf8');
if (fs.existsSync(entry) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) {
  console.log('[s3rver] node_modules is up to date with package-lock.json');
  process.exit(0);
}
console.log('[s3rver] installing with npm ci');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit', shell: process.platform === 'win32' });
if (run.status !== 0) {
  console.error('[s3rver] npm ci failed with ' + (run.error || 'exit code ' + run.status));
  process.exit(run.status || 1);
}
fs.writeFileSync(stamp, wanted);
