import type { ChamberSpec, SsmSpec } from '../core/types';

/** chamber's per-service metadata record (service includes), not a secret; chamber skips it too. */
const CHAMBER_METADATA_KEY = '__chamber.service.metadata';

/** chamber lower-cases services on read, so `API/Dev` reads `/api/dev`. */
export function servicePath(service: string): string {
  return `/${service.toLowerCase()}`;
}

export function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

export function isChamberMetadata(name: string): boolean {
  return lastSegment(name) === CHAMBER_METADATA_KEY;
}

/** How a spec is named in warnings and errors. */
export function specLabel(spec: ChamberSpec | SsmSpec): string {
  return spec.kind === 'chamber' ? `chamber ${spec.service}` : `ssm ${spec.name}`;
}
