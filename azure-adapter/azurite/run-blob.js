// Starts Azurite's blob service with the arguments given, and exits when standard input closes:
// the test JVM holds the other end, so Azurite cannot outlive a test run that died without stopping it.
'use strict';
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
require('./node_modules/azurite/dist/src/blob/main.js');
