import type { ReactElement } from 'react';
import type { PlanFile } from '../../contract/plan';
import { KeyStatusBadge } from '../components/ui';
import { ageDays, formatAge } from '../lib/format';
import { displayStatus } from '../lib/status';

/** 1536 -> "1.5 KiB". */
function formatSize(size: number | undefined): string {
  if (size === undefined) return '—';
  if (size < 1024) return `${size} B`;
  const kib = size / 1024;
  if (kib < 1024) return `${kib < 10 ? kib.toFixed(1) : Math.round(kib)} KiB`;
  const mib = kib / 1024;
  return `${mib < 10 ? mib.toFixed(1) : Math.round(mib)} MiB`;
}

/** A VersionId is long and opaque: its start is enough to tell two apart; the title holds all of it. */
function shortVersion(version: string | undefined): string {
  if (!version) return '—';
  const plain = version.replace(/^"|"$/g, '');
  return plain.length > 12 ? `${plain.slice(0, 12)}…` : plain;
}

/** File secrets (`s3:` with `file:`): written with the target, so listed under its keys. Never their content. */
export function FilesSection({ files }: { files: PlanFile[] }): ReactElement | null {
  if (files.length === 0) return null;
  return (
    <section className="files-section card" aria-label="Files" data-testid="files-section">
      <h2 className="section-title">Files</h2>
      <table className="files-table">
        <thead>
          <tr>
            <th scope="col">Path</th>
            <th scope="col">Status</th>
            <th scope="col">Size</th>
            <th scope="col">Version</th>
            <th scope="col">Age</th>
          </tr>
        </thead>
        <tbody>
          {files.map((file) => (
            <tr key={file.path} data-testid="file-row" title={file.reason}>
              <td className="mono">
                {file.path}
                <div className="subtle small">
                  {file.origin.ref} · {file.mode}
                </div>
              </td>
              <td>
                <KeyStatusBadge status={displayStatus(file)} />
              </td>
              <td className="nowrap">{formatSize(file.meta?.size)}</td>
              <td className="mono nowrap" title={file.meta?.version}>
                {shortVersion(file.meta?.version)}
              </td>
              <td className="nowrap">{formatAge(ageDays(file.rotation?.ageDays, file.meta?.modifiedAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
