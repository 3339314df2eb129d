// Starts s3rver with the arguments given, and exits when standard input closes: the test JVM holds
// the other end, so s3rver cannot outlive a test run that died without stopping it.
'use strict';
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
require('./node_modules/s3rver/bin/s3rver.js');
