import type { ReactElement, ReactNode } from 'react';
import type { KeyDisplayStatus, StatusLook, Tone } from '../lib/status';
import { KEY_LOOKS } from '../lib/status';
import { Icon, type IconId } from './icons';

export function Badge({
  look,
  compact = false,
  className = '',
}: {
  look: StatusLook;
  compact?: boolean;
  className?: string;
}): ReactElement {
  return (
    <span className={`badge tone-${look.tone} ${className}`}>
      <Icon name={look.icon} />
      {compact ? <span className="sr-only">{look.label}</span> : <span className="badge-word">{look.label}</span>}
    </span>
  );
}

export function KeyStatusBadge({ status }: { status: KeyDisplayStatus }): ReactElement {
  return <Badge look={KEY_LOOKS[status]} />;
}

export function Skeleton({
  width = '100%',
  height = 12,
  className = '',
}: {
  width?: number | string;
  height?: number;
  className?: string;
}): ReactElement {
  return <span className={`skeleton ${className}`} style={{ width, height }} aria-hidden="true" />;
}

export function SkeletonLines({ lines = 3, label = 'Loading' }: { lines?: number; label?: string }): ReactElement {
  return (
    <div className="skeleton-lines" role="status" aria-label={label}>
      {Array.from({ length: lines }, (_, i) => (
        <Skeleton key={i} width={`${[88, 64, 76, 52, 70][i % 5]}%`} />
      ))}
    </div>
  );
}

export function EmptyState({
  icon,
  title,
  children,
  actions,
  testId,
}: {
  icon: IconId;
  title: string;
  children?: ReactNode;
  actions?: ReactNode;
  testId?: string;
}): ReactElement {
  return (
    <div className="empty" data-testid={testId}>
      <div className="empty-art">
        <Icon name={icon} size={24} />
      </div>
      <h2>{title}</h2>
      {children ? <div className="empty-text">{children}</div> : null}
      {actions ? <div className="row">{actions}</div> : null}
    </div>
  );
}

export function Callout({
  tone,
  icon,
  title,
  children,
  actions,
  testId,
  role,
}: {
  tone: Tone | 'info';
  icon: IconId;
  title: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  testId?: string;
  role?: 'alert' | 'status';
}): ReactElement {
  return (
    <div className={`callout tone-${tone}`} data-testid={testId} role={role}>
      <Icon name={icon} />
      <div className="callout-body">
        <div className="callout-title">{title}</div>
        {children ? <div className="callout-text">{children}</div> : null}
        {actions ? <div className="callout-actions">{actions}</div> : null}
      </div>
    </div>
  );
}

export function ProgressBar({
  done,
  total,
  label,
  testId = 'progress-bar',
}: {
  done?: number | undefined;
  total?: number | undefined;
  label: string;
  testId?: string;
}): ReactElement {
  const known = total !== undefined && total > 0 && done !== undefined;
  const pct = known ? Math.min(100, Math.round((done / total) * 100)) : undefined;
  return (
    <div
      className={`progress ${known ? '' : 'progress-indeterminate'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={known ? total : undefined}
      aria-valuenow={known ? done : undefined}
      data-testid={testId}
    >
      <div className="progress-fill" style={pct !== undefined ? { width: `${pct}%` } : undefined} />
    </div>
  );
}
