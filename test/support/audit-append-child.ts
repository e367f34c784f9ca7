// Child process for the audit concurrency test: appends `count` events to the audit log in `appDir`.
// Usage: node --import tsx test/support/audit-append-child.ts <appDir> <workerId> <count>
import { appendAuditEvent } from '../../main/core/audit';

const [appDir, workerId, countText] = process.argv.slice(2);
if (!appDir || !workerId || !countText) {
  console.error('usage: audit-append-child.ts <appDir> <workerId> <count>');
  process.exit(2);
}
for (let i = 0; i < Number(countText); i++) {
  await appendAuditEvent(appDir, {
    action: 'sync',
    profile: `worker-${workerId}`,
    keys: ['A', 'B'],
    versions: { A: String(i) },
    outcome: 'ok',
    detail: `${workerId}:${i}`,
  });
}
