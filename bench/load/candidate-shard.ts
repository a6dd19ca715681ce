/**
 * A candidate shard: a child process of the load bench running some of the simulated
 * candidates (see shard-protocol.ts and candidate-shards.ts).
 */
import './quiet-sdk';
import { dispose } from '@livekit/rtc-node';
import { mulberry32 } from '../../shared/scoring/seeded-random';
import { ShardCommandSchema, type ShardReport } from './shard-protocol';
import { SimCandidate } from './sim-candidate';

const candidates = new Map<number, SimCandidate>();

function report(message: ShardReport): void {
  if (process.connected) process.send?.(message);
}

const pendingTimer = setInterval(() => {
  report({
    type: 'pending',
    pending: [...candidates].map(([index, c]) => ({ index, count: c.pending() })),
  });
}, 250);

process.on('message', (raw: unknown) => {
  const command = ShardCommandSchema.parse(raw);
  switch (command.type) {
    case 'connect': {
      const c = new SimCandidate(
        command.index,
        command.interviewId,
        command.candidateToken,
        mulberry32(command.seed),
      );
      candidates.set(command.index, c);
      c.connect(command.appUrl).then(
        (t) => {
          report({
            type: 'connected',
            index: command.index,
            stream: c.stream,
            apiMs: t.apiMs,
            connectMs: t.connectMs,
            greetingMs: Number.isFinite(t.greetingMs) ? t.greetingMs : null,
          });
        },
        (error: unknown) => {
          report({ type: 'connect_failed', index: command.index, error: String(error) });
        },
      );
      return;
    }
    case 'start':
      candidates.get(command.index)?.start();
      return;
    case 'stop_producing':
      for (const c of candidates.values()) c.stopProducing();
      return;
    case 'quiesce':
      for (const c of candidates.values()) c.quiesce();
      return;
    case 'report':
      for (const [index, c] of candidates) {
        report({
          type: 'final',
          index,
          created: c.created,
          sends: c.sends,
          sendErrors: c.sendErrors,
          pending: c.pending(),
          ledger: c.ledger.toJSON(),
          flagPublishes: c.flagPublishes,
        });
      }
      report({ type: 'reported' });
      return;
    case 'close':
      clearInterval(pendingTimer);
      void Promise.all([...candidates.values()].map((c) => c.close()))
        .then(() => dispose())
        .catch(() => undefined)
        .finally(() => {
          report({ type: 'closed' });
          setTimeout(() => process.exit(0), 100);
        });
      return;
  }
});

process.on('disconnect', () => process.exit(0));
report({ type: 'ready' });
