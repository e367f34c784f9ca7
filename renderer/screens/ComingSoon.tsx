import type { ReactElement, ReactNode } from 'react';
import { EmptyState } from '../components/ui';
import type { IconId } from '../components/icons';

/** An honest empty state for a capability that is designed but not built yet. */
export function ComingSoon({ icon, title, children, testId }: { icon: IconId; title: string; children: ReactNode; testId: string }): ReactElement {
  return (
    <div className="page page-centered">
      <EmptyState icon={icon} title={title} testId={testId}>
        <p>{children}</p>
        <p className="subtle small coming-note">Nothing to set up yet: this screen fills in with a later version.</p>
      </EmptyState>
    </div>
  );
}
