/**
 * Child process of the crash-safety tests: `tsx append-until-killed.ts <store> <interview-id>`
 * appends one sample per transaction, forever, and prints `committed <seq>` to stdout only after
 * each commit resolved. The test SIGKILLs it mid-stream; every seq it printed must survive.
 */
import { makeSample } from '../../shared/scoring/test-fixtures';
import { openRepositoryByName } from '../storage/open-repository';

const [store, id] = process.argv.slice(2);
if (store === undefined || id === undefined) {
  process.stderr.write('usage: append-until-killed <store> <interview-id>\n');
  process.exit(2);
}
const repo = await openRepositoryByName(store);
process.stdout.write('ready\n');
for (let seq = 0; ; seq += 1) {
  const sample = { ...makeSample({ seq, stream: 'crash-stream' }), receivedAtMs: Date.now() };
  await repo.append(id, [{ entry: 'sample', sample }]);
  process.stdout.write(`committed ${String(seq)}\n`);
}
